import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startChatUpstream, type ChatUpstream } from "../../test/chat-upstream.js";
import { startTestApp, type TestApp } from "../../test/app.js";
import { createTestUser, pointsOf, type TestUser } from "../../test/fixtures.js";
import { checkLedger } from "../points/ledger-check.js";

const apiKey = `sk-test-${randomUUID()}`;
let upstream: ChatUpstream;
/** Price 1 (the default) and a persona of the operator's. */
let paid: TestApp;
let free: TestApp;
let unconfigured: TestApp;

beforeAll(async () => {
  upstream = await startChatUpstream();
  const provider = { CHAT_BASE_URL: upstream.url, CHAT_API_KEY: apiKey, CHAT_TIMEOUT_MS: "600" };
  [paid, free, unconfigured] = await Promise.all([
    startTestApp({ ...provider, CAT_PERSONA: "你是一只橘猫，名叫大橘。" }),
    startTestApp({ ...provider, CHAT_PRICE_POINTS: "0" }),
    // A key without a base URL is still not configured.
    startTestApp({ CHAT_API_KEY: apiKey }),
  ]);
});
afterAll(async () => {
  await Promise.all([paid.close(), free.close(), unconfigured.close()]);
  await upstream.close();
});
beforeEach(() => {
  upstream.requests.length = 0;
});

function chat(app: TestApp, user: TestUser, body: unknown) {
  return app.post("/api/proxy/cat/chat", body, user.headers);
}

async function ledgerRows(app: TestApp, user: TestUser) {
  return app.deps.db
    .selectFrom("ledger")
    .select(["type", "amount"])
    .where("user_id", "=", user.id)
    .where("type", "!=", "register")
    .execute();
}

const hi = { role: "user", content: "hi" };

describe("cat chat input bounds", () => {
  it.each([
    ["no messages", { messages: [] }, "至少需要一条消息"],
    ["51 messages", { messages: Array.from({ length: 51 }, () => hi) }, "一次最多发送 50 条消息"],
    ["a message over 4000 characters", { messages: [{ role: "user", content: "喵".repeat(4001) }] }, "单条消息不能超过 4000 个字符"],
    ["an empty message", { messages: [{ role: "user", content: "" }] }, "消息内容不能为空"],
    ["a message of spaces only", { messages: [{ role: "user", content: "  \n " }] }, "消息内容不能为空"],
    ["a NUL character", { messages: [{ role: "user", content: "a\u0000b" }] }, "消息内容不能包含空字符"],
    ["an unknown role", { messages: [{ role: "robot", content: "hi" }] }, "消息角色应为 user、assistant 或 system"],
    ["a conversation ending with the cat", { messages: [hi, { role: "assistant", content: "喵" }] }, "最后一条消息应来自用户"],
    ["no messages field", {}, "请填写消息"],
  ])("refuses %s with VALIDATION and a Chinese message, charging and sending nothing", async (_name, body, message) => {
    const user = await createTestUser(paid.deps, { points: 5 });
    const res = await chat(paid, user, body);
    expect(res).toEqual({
      status: 200,
      body: { status: "failed", code: "VALIDATION", field: expect.stringMatching(/^messages/), msg: expect.stringContaining(message) },
    });
    expect(res.body.msg).not.toContain("messages");
    expect(upstream.requests).toHaveLength(0);
    expect(await pointsOf(paid.deps, user.id)).toBe(5);
  });

  it("accepts exactly 50 messages of 4000 characters", async () => {
    const user = await createTestUser(paid.deps, { points: 5 });
    const long = "喵".repeat(4000);
    const messages = Array.from({ length: 50 }, (_, i) => ({ role: i % 2 === 0 ? "user" : "assistant", content: long })).reverse();
    expect((await chat(paid, user, { messages })).body.status).toBe("success");
  });

  it("uses CAT_PERSONA as the system prompt when the client sends none", async () => {
    const user = await createTestUser(paid.deps, { points: 5 });
    await chat(paid, user, { messages: [hi] });
    expect(upstream.requests[0]?.body).toMatchObject({ messages: [{ role: "system", content: "你是一只橘猫，名叫大橘。" }, hi] });
  });
});

describe("cat chat at price 0", () => {
  it("answers without writing any ledger row", async () => {
    const user = await createTestUser(free.deps, { points: 0 });
    expect((await chat(free, user, { messages: [hi] })).body).toEqual({ status: "success", reply: expect.any(String) });
    expect(await ledgerRows(free, user)).toEqual([]);
  });

  it("fails without a ledger row and without promising a refund", async () => {
    const user = await createTestUser(free.deps, { points: 0 });
    expect((await chat(free, user, { messages: [{ role: "user", content: "[fail]" }] })).body).toEqual({
      status: "failed",
      code: "CHAT_FAILED",
      msg: "猫猫暂时不在，请稍后再试",
    });
    expect(await ledgerRows(free, user)).toEqual([]);
  });
});

describe("cat chat without a provider", () => {
  it("fails with PROVIDER_NOT_CONFIGURED, charging nothing and sending nothing", async () => {
    const user = await createTestUser(unconfigured.deps, { points: 5 });
    expect((await chat(unconfigured, user, { messages: [hi] })).body).toEqual({
      status: "failed",
      code: "PROVIDER_NOT_CONFIGURED",
      msg: "该服务暂未配置，请联系管理员",
    });
    expect(upstream.requests).toHaveLength(0);
    expect(await pointsOf(unconfigured.deps, user.id)).toBe(5);
    expect(await ledgerRows(unconfigured, user)).toEqual([]);
  });

  it("leaves every ledger consistent", async () => {
    for (const app of [paid, free, unconfigured]) expect(await checkLedger(app.deps.db)).toMatchObject({ ok: true });
  });
});
