import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createCardKeys } from "../modules/cards/manage.js";
import { maxBalance } from "../modules/points/ledger.js";
import { startTestApp, type TestApp } from "../test/app.js";
import { createTestUser, pointsOf } from "../test/fixtures.js";
import { captureLog, type CapturedLog } from "../test/log-capture.js";
import { describeInputIssue } from "./validation-messages.js";

let app: TestApp;
let log: CapturedLog;
beforeAll(async () => {
  log = captureLog();
  app = await startTestApp({}, { logger: log.logger });
});
afterAll(() => app.close());

const generic = "服务器内部错误，请稍后再试";

/** The part of a tRPC error answer that these tests read. */
interface TRPCErrorBody {
  error: { message: string; data: { failure: unknown } };
}

describe("an answer that breaks its own output schema", () => {
  it("is INTERNAL over REST and tRPC, generic, and logged at error level with the request id", async () => {
    const user = await createTestUser(app.deps);
    // A ledger type the contract does not know: the stored data no longer fits the answer's schema.
    await sql`alter table ledger drop constraint if exists ledger_type_check`.execute(app.deps.db);
    await sql`insert into ledger (user_id, type, amount, balance_after, description) values (${user.id}, 'bogus', 0, 0, 'x')`.execute(
      app.deps.db,
    );

    const rest = await fetch(`${app.url}/api/user/history`, { headers: { ...user.headers, "x-request-id": "schema-break-1" } });
    expect(rest.status).toBe(200);
    expect(await rest.json()).toEqual({ status: "failed", code: "INTERNAL", msg: generic });

    const trpc = await fetch(`${app.url}/trpc/getHistory?input=${encodeURIComponent("{}")}`, {
      headers: { ...user.headers, "x-request-id": "schema-break-2" },
    });
    expect(trpc.status).toBe(500);
    const body = (await trpc.json()) as TRPCErrorBody;
    expect(body.error.message).toBe(generic);
    expect(body.error.data.failure).toEqual({ status: "failed", code: "INTERNAL", msg: generic });
    expect(JSON.stringify(body)).not.toMatch(/Output validation|bogus|stack/);

    for (const requestId of ["schema-break-1", "schema-break-2"]) {
      const errors = log.lines().filter((line) => line.requestId === requestId && line.level === "error");
      expect(errors).toHaveLength(1);
      expect(errors[0]?.procedure).toBe("getHistory");
    }
  });
});

/** The part of a tRPC error answer that these tests read. */
describe("validation messages are sentences for people, with the field beside the code", () => {
  const register = (body: Record<string, unknown>) =>
    app.post("/api/auth/register", { email: "new@example.com", password: "long enough", nickname: "Ann", verify_code: "123456", ...body });

  it.each([
    [{ password: "short" }, "password", "密码长度需为 8–128 个字符"],
    [{ email: "not an email" }, "email", "邮箱格式不正确"],
    [{ email: undefined }, "email", "请填写邮箱"],
    [{ email: 42 }, "email", "邮箱格式不正确"],
    [{ verify_code: "12ab" }, "verify_code", "验证码应为 6 位数字"],
    [{ nickname: "x".repeat(40) }, "nickname", "昵称最多 32 个字符"],
    [{ nickname: 7 }, "nickname", "昵称格式不正确"],
  ])("register with %j answers field %s: %s", async (body, field, msg) => {
    expect(await register(body)).toEqual({ status: 200, body: { status: "failed", code: "VALIDATION", field, msg } });
  });

  it("puts the same message and field in tRPC's error", async () => {
    const res = await app.post("/trpc/register", { email: "new@example.com", password: "short", nickname: "Ann", verify_code: "123456" });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe("密码长度需为 8–128 个字符");
    expect(res.body.error.data).toMatchObject({ field: "password", failure: { code: "VALIDATION", field: "password" } });
  });

  it("describes an issue without a message of its own in words, never a validator's wording or a path", () => {
    const schema = z.object({ messages: z.array(z.object({ content: z.string().min(1) })), limit: z.number() });
    const cases = [
      [{ messages: [{ content: "" }], limit: 1 }, "第 1 条消息的消息内容至少需要 1 个字符", "messages.0.content"],
      [{ messages: [], limit: Number.NaN }, "条数格式不正确", "limit"],
      [{ messages: [] }, "请填写条数", "limit"],
      [{ messages: [], limit: 1, unknown: { x: 1 } }, undefined, undefined],
      ["not an object", "请求内容格式不正确", undefined],
    ] as const;
    for (const [input, msg, field] of cases) {
      const parsed = schema.safeParse(input);
      if (msg === undefined) {
        expect(parsed.success).toBe(true);
        continue;
      }
      expect(parsed.success).toBe(false);
      if (parsed.success) continue;
      const described = describeInputIssue(parsed.error);
      expect(described).toEqual(field ? { msg, field } : { msg });
      expect(described.msg).not.toMatch(/NaN|expected|messages\.0|[A-Za-z]{4,}/);
    }
  });
});

/** The part of a tRPC error answer that these tests read. */
describe('a device id of "server" (a page rendered on the server)', () => {
  const invalidDevice = { status: 200, body: { status: "failed", code: "INVALID_DEVICE", msg: expect.stringContaining("浏览器") } };

  it("answers INVALID_DEVICE for login, login_verify, register's header and an authenticated call", async () => {
    const user = await createTestUser(app.deps);
    expect(await app.post("/api/auth/login", { email: user.email, password: "whatever-password", device_id: "server" })).toEqual(
      invalidDevice,
    );
    expect(await app.post("/api/auth/login", { email: user.email, password: "whatever-password", device_id: "short" })).toEqual(
      invalidDevice,
    );
    expect(await app.post("/api/auth/login_verify", { email: user.email, code: "123456", device_id: "server" })).toEqual(invalidDevice);
    expect(
      await app.post(
        "/api/auth/register",
        { email: "ssr@example.com", password: "long enough", nickname: "Ann", verify_code: "123456" },
        { "x-device-id": "server" },
      ),
    ).toEqual(invalidDevice);
    expect(await app.get("/api/user/history", { ...user.headers, "x-device-id": "server" })).toEqual(invalidDevice);
  });
});

/** The part of a tRPC error answer that these tests read. */
describe("a credit past the balance column", () => {
  it("is refused as POINTS_LIMIT, changing nothing, not an SQL overflow", async () => {
    const user = await createTestUser(app.deps, { points: maxBalance - 10 });
    const [card] = await createCardKeys(app.deps, { points: 100, count: 1, expiresAt: null, batch: null });
    if (!card) throw new Error("no card");
    const res = await app.post("/api/pay/redeem", { email: user.email, card_key: card.card_key }, user.headers);
    expect(res).toEqual({ status: 200, body: { status: "failed", code: "POINTS_LIMIT", msg: expect.stringMatching(/上限/) } });
    expect(await pointsOf(app.deps, user.id)).toBe(maxBalance - 10);
    const row = await app.deps.db.selectFrom("card_keys").select("redeemed_by").where("id", "=", card.id).executeTakeFirstOrThrow();
    expect(row.redeemed_by).toBeNull();
  });
});

/** The part of a tRPC error answer that these tests read. */
describe("the request log", () => {
  it("names the full path of a tRPC call and hides secrets at any depth", async () => {
    await fetch(`${app.url}/trpc/getHistory`, { headers: { "x-request-id": "log-path-1" } });
    const line = log.lines().find((entry) => entry.requestId === "log-path-1" && entry.msg === "request");
    expect(line?.path).toBe("/trpc/getHistory");

    log.logger.info(
      {
        deep: { a: { b: [{ password: "p4ss-word", card_key: "K7QM-4XZP", code: "123456" }] } },
        req: { headers: { "x-device-id": "dev-1d-secret", authorization: "Bearer t0ken" } },
        provider: { config: { apiKey: "sk-abc" } },
        err: { code: "23505" },
      },
      "nested",
    );
    const text = log.text();
    expect(text).not.toMatch(/p4ss-word|K7QM-4XZP|"123456"|dev-1d-secret|t0ken|sk-abc/);
    expect(text).toContain('"code":"23505"');
  });
});
