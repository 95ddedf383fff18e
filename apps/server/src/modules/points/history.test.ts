import { historyPageSize } from "@ocean1/contract";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/app.js";
import { createTestUser, pointsOf, type TestUser } from "../../test/fixtures.js";
import { changePoints } from "./ledger.js";
import { isoMilliseconds } from "./queries.js";

let app: TestApp;
let rich: TestUser;
let other: TestUser;
/** Ids of `rich`'s ledger rows, oldest first. */
let richRowIds: number[];

/** `count` alternating credits and debits, each its own transaction. */
async function moveRichPoints(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const delta = i % 2 === 0 ? 7 : -3;
    await app.deps.db
      .transaction()
      .execute((trx) => changePoints(trx, { userId: rich.id, delta, type: delta > 0 ? "reward" : "consume", description: `第 ${i} 次` }));
    // Another user's rows interleave with rich's, so ids are not contiguous per user.
    if (i % 10 === 0)
      await app.deps.db
        .transaction()
        .execute((trx) => changePoints(trx, { userId: other.id, delta: 1, type: "reward", description: "每日奖励" }));
  }
}

beforeAll(async () => {
  app = await startTestApp();
  rich = await createTestUser(app.deps, { points: 100 });
  other = await createTestUser(app.deps, { points: 5 });
  await moveRichPoints(69);
  const rows = await app.deps.db.selectFrom("ledger").select("id").where("user_id", "=", rich.id).orderBy("id").execute();
  richRowIds = rows.map((row) => row.id);
});
afterAll(() => app.close());

const history = (user: TestUser, query = "") => app.get(`/api/user/history${query}`, user.headers);

describe("GET /api/user/history", () => {
  it("answers the newest 50 rows, newest first, in the documented shape", async () => {
    expect(richRowIds).toHaveLength(70);
    const res = await history(rich);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("success");
    expect(res.body.data).toHaveLength(historyPageSize.default);
    expect(res.body.data.map((row: { id: number }) => row.id)).toEqual(richRowIds.slice(-50).reverse());
    const [newest] = res.body.data;
    expect(Object.keys(newest).sort()).toEqual(["amount", "balance_after", "created_at", "description", "id", "type"]);
    expect(newest.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it("puts the current balance in data[0].balance_after", async () => {
    const res = await history(rich);
    expect(res.body.data[0].balance_after).toBe(await pointsOf(app.deps, rich.id));
    expect(res.body.data[0].balance_after).toBe(100 + 35 * 7 - 34 * 3);
  });

  it("writes each row's time in UTC to the millisecond, the microseconds cut off", async () => {
    const user = await createTestUser(app.deps, { points: 1 });
    await app.deps.db.transaction().execute((trx) => changePoints(trx, { userId: user.id, delta: 1, type: "reward", description: "奖励" }));
    const times = ["2026-01-02 11:04:05.289999+08", "2026-01-02 11:04:06+08"];
    const ids = await app.deps.db.selectFrom("ledger").select("id").where("user_id", "=", user.id).orderBy("id").execute();
    for (const [k, { id }] of ids.entries()) {
      await sql`update ledger set created_at = ${times[k]}::timestamptz where id = ${id}`.execute(app.deps.db);
    }
    const res = await history(user);
    expect(res.body.data.map((row: { created_at: string }) => row.created_at)).toEqual([
      "2026-01-02T03:04:06.000Z",
      "2026-01-02T03:04:05.289Z",
    ]);
  });

  it("formats PostgreSQL's JSON times as Date#toISOString does, whatever the fraction's length", () => {
    for (const [utc, iso] of [
      ["2026-01-02T03:04:05", "2026-01-02T03:04:05.000Z"],
      ["2026-01-02T03:04:05.5", "2026-01-02T03:04:05.500Z"],
      ["2026-01-02T03:04:05.05", "2026-01-02T03:04:05.050Z"],
      ["2026-01-02T03:04:05.123", "2026-01-02T03:04:05.123Z"],
      ["2026-01-02T03:04:05.999999", "2026-01-02T03:04:05.999Z"],
    ]) {
      expect(isoMilliseconds(utc as string)).toBe(iso);
      expect(new Date(`${(utc as string).slice(0, 23)}Z`).toISOString()).toBe(iso);
    }
  });

  it("answers each of many concurrent callers, read in one statement, with its own page", async () => {
    const pages = await Promise.all([
      history(rich, "?limit=3"),
      history(other),
      history(rich, `?limit=2&before=${richRowIds[10]}`),
      history(other, `?before=${richRowIds[0]}`),
      history(rich, "?limit=1"),
    ]);
    const ids = pages.map((res) => res.body.data.map((row: { id: number }) => row.id));
    expect(ids[0]).toEqual(richRowIds.slice(-3).reverse());
    expect(ids[1]).toHaveLength(8);
    expect(ids[2]).toEqual([richRowIds[9], richRowIds[8]]);
    expect(ids[3]).toEqual([]);
    expect(ids[4]).toEqual(richRowIds.slice(-1));
  });

  it("answers only the caller's own rows", async () => {
    const mine = await history(other, "?limit=200");
    const otherIds = (
      await app.deps.db.selectFrom("ledger").select("id").where("user_id", "=", other.id).orderBy("id", "desc").execute()
    ).map((r) => r.id);
    expect(mine.body.data.map((row: { id: number }) => row.id)).toEqual(otherIds);
    expect(mine.body.data[0].balance_after).toBe(await pointsOf(app.deps, other.id));
    const richIds = new Set(richRowIds);
    expect(mine.body.data.some((row: { id: number }) => richIds.has(row.id))).toBe(false);
  });

  it("ignores an email in the query: the session decides whose rows these are", async () => {
    const res = await history(other, `?email=${encodeURIComponent(rich.email)}&limit=200`);
    expect(res.body.data.every((row: { description: string }) => row.description !== "第 0 次")).toBe(true);
  });

  it("honours limit, up to 200", async () => {
    expect((await history(rich, "?limit=5")).body.data.map((r: { id: number }) => r.id)).toEqual(richRowIds.slice(-5).reverse());
    expect((await history(rich, "?limit=200")).body.data).toHaveLength(70);
    for (const bad of ["?limit=201", "?limit=0", "?limit=abc", "?limit=2.5"]) {
      expect(await history(rich, bad)).toEqual({
        status: 200,
        body: { status: "failed", code: "VALIDATION", field: "limit", msg: expect.stringMatching(/^条数/) },
      });
    }
  });

  it("pages back with before=<row id> without gaps or repeats", async () => {
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const res = await history(rich, `?limit=30${before ? `&before=${before}` : ""}`);
      const ids: number[] = res.body.data.map((row: { id: number }) => row.id);
      if (ids.length === 0) break;
      seen.push(...ids);
      before = ids.at(-1);
    }
    expect(seen).toEqual([...richRowIds].reverse());
  });

  it("answers rows older than before, even when before is another user's row id", async () => {
    const pivot = richRowIds[40]!;
    const res = await history(rich, `?before=${pivot}&limit=3`);
    expect(res.body.data.map((r: { id: number }) => r.id)).toEqual(richRowIds.slice(37, 40).reverse());
    const otherRow = await app.deps.db
      .selectFrom("ledger")
      .select("id")
      .where("user_id", "=", other.id)
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    const mixed = await history(rich, `?before=${otherRow.id}&limit=200`);
    expect(mixed.body.data.every((r: { id: number }) => richRowIds.includes(r.id) && r.id < otherRow.id)).toBe(true);
  });

  it("refuses a caller without an active session with UNAUTHENTICATED over HTTP 200", async () => {
    const attempts = [
      await app.get("/api/user/history"),
      await app.get("/api/user/history", { "x-user-email": rich.email }),
      await app.get("/api/user/history", { "x-user-email": rich.email, "x-device-id": other.deviceId }),
    ];
    for (const res of attempts)
      expect(res).toEqual({ status: 200, body: { status: "failed", code: "UNAUTHENTICATED", msg: "登录已失效，请重新登录" } });
    // A page rendered on the server is told to log in from the browser instead.
    const fromServer = await app.get("/api/user/history", { "x-user-email": rich.email, "x-device-id": "server" });
    expect(fromServer).toEqual({ status: 200, body: { status: "failed", code: "INVALID_DEVICE", msg: expect.stringContaining("浏览器") } });
  });

  it("lists a user's rows newest first by time as by id, also when a transaction that began first takes the lock last", async () => {
    const user = await createTestUser(app.deps, { points: 0 });
    const credit = (description: string) => ({ userId: user.id, delta: 1, type: "reward" as const, description });
    let begun!: () => void;
    let go!: () => void;
    const hasBegun = new Promise<void>((resolve) => (begun = resolve));
    const mayGo = new Promise<void>((resolve) => (go = resolve));
    const early = app.deps.db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      begun();
      await mayGo;
      return changePoints(trx, credit("先开始，后提交"));
    });
    await hasBegun;
    // Twenty changes of the same user race each other while the early transaction waits, then it commits last.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => app.deps.db.transaction().execute((trx) => changePoints(trx, credit(`并发 ${i}`)))),
    );
    go();
    const last = await early;

    const res = await history(user, "?limit=100");
    const rows = res.body.data as { id: number; created_at: string }[];
    expect(rows).toHaveLength(22);
    expect(rows[0]?.id).toBe(last.id);
    const byTime = [...rows].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id);
    expect(byTime.map((row) => row.id)).toEqual(rows.map((row) => row.id));
  });

  it("is also served over tRPC as getHistory", async () => {
    const res = await fetch(`${app.url}/trpc/getHistory?input=${encodeURIComponent(JSON.stringify({ limit: 1 }))}`, {
      headers: rich.headers,
    });
    const body = (await res.json()) as { result: { data: { data: { id: number }[] } } };
    expect(body.result.data.data.map((row) => row.id)).toEqual([richRowIds.at(-1)]);
  });
});
