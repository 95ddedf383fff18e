import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startChatUpstream, type ChatUpstream } from "../../test/chat-upstream.js";
import { startTestApp, type TestApp } from "../../test/app.js";
import { createTestUser, pointsOf, type TestUser } from "../../test/fixtures.js";
import { checkLedger } from "../points/ledger-check.js";
import { simulatedCatReply } from "../../providers/openai-chat/simulator.js";
import { defaultCatPersona } from "./persona.js";

const apiKey = `sk-test-${randomUUID()}`;
const price = 3;
const timeoutMs = 600;

let upstream: ChatUpstream;
let app: TestApp;
beforeAll(async () => {
  upstream = await startChatUpstream();
  app = await startTestApp({
    CHAT_BASE_URL: `${upstream.url}/v1/`,
    CHAT_API_KEY: apiKey,
    CHAT_MODEL: "cat-model-1",
    CHAT_PRICE_POINTS: String(price),
    CHAT_TIMEOUT_MS: String(timeoutMs),
  });
});
afterAll(async () => {
  await app.close();
  await upstream.close();
});
beforeEach(() => {
  upstream.requests.length = 0;
});

function chat(user: TestUser, messages: unknown) {
  return app.post("/api/proxy/cat/chat", { messages }, user.headers);
}

async function callStatuses(user: TestUser) {
  return (await app.deps.db.selectFrom("chat_calls").select("status").where("user_id", "=", user.id).execute()).map((row) => row.status);
}

async function ledgerOf(user: TestUser) {
  return app.deps.db
    .selectFrom("ledger")
    .select(["type", "amount", "balance_after", "description", "ref"])
    .where("user_id", "=", user.id)
    .where("type", "!=", "register")
    .orderBy("id")
    .execute();
}

describe("cat chat against an OpenAI-compatible upstream", () => {
  it("sends POST /v1/chat/completions with the Bearer key, CHAT_MODEL, stream:false and the persona first", async () => {
    const user = await createTestUser(app.deps, { points: 10 });
    const res = await chat(user, [{ role: "user", content: "你好呀" }]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "success", reply: expect.stringContaining("你好呀") });
    expect(upstream.requests).toEqual([
      {
        path: "/v1/chat/completions",
        authorization: `Bearer ${apiKey}`,
        body: {
          model: "cat-model-1",
          stream: false,
          messages: [
            { role: "system", content: defaultCatPersona },
            { role: "user", content: "你好呀" },
          ],
        },
      },
    ]);
  });

  it("keeps the client's own system message as it is, with no persona added", async () => {
    const user = await createTestUser(app.deps, { points: 10 });
    const messages = [
      { role: "system", content: "你是一只可爱的猫猫" },
      { role: "user", content: "hi" },
      { role: "assistant", content: "喵~" },
      { role: "user", content: "how are you?" },
    ];
    expect((await chat(user, messages)).body.status).toBe("success");
    expect(upstream.requests.map((r) => (r.body as { messages: unknown }).messages)).toEqual([messages]);
  });

  it("charges exactly CHAT_PRICE_POINTS with one consume row on success", async () => {
    const user = await createTestUser(app.deps, { points: 10 });
    await chat(user, [{ role: "user", content: "喵?" }]);
    expect(await pointsOf(app.deps, user.id)).toBe(10 - price);
    expect(await ledgerOf(user)).toEqual([
      { type: "consume", amount: -price, balance_after: 7, description: "猫猫对话", ref: expect.stringMatching(/^chat:[0-9a-f-]{36}$/) },
    ]);
    expect(await callStatuses(user)).toEqual(["answered"]);
  });

  it.each([
    ["a 500", "[fail]"],
    ["a 429", "[rate]"],
    ["a 401", "[auth]"],
    ["an exhausted quota", "[quota]"],
    ["a timeout", "[slow]"],
    ["a non-JSON body", "[garbage]"],
    ["an empty reply", "[empty]"],
    ["a connection reset", "[reset]"],
  ])("fails cleanly on %s and refunds exactly once", async (_name, steer) => {
    const user = await createTestUser(app.deps, { points: 10 });
    const started = Date.now();
    const res = await chat(user, [{ role: "user", content: `讲个故事 ${steer}` }]);
    expect(Date.now() - started).toBeLessThan(timeoutMs + 2_000);
    expect(res).toEqual({ status: 200, body: { status: "failed", code: "CHAT_FAILED", msg: "猫猫暂时不在，积分已退还，请稍后再试" } });
    expect(JSON.stringify(res.body)).not.toContain(apiKey);
    expect(upstream.requests).toHaveLength(1);
    expect(await pointsOf(app.deps, user.id)).toBe(10);
    const rows = await ledgerOf(user);
    expect(rows).toEqual([
      { type: "consume", amount: -price, balance_after: 7, description: "猫猫对话", ref: expect.stringMatching(/^chat:[0-9a-f-]{36}$/) },
      { type: "refund", amount: price, balance_after: 10, description: "对话失败退款", ref: rows[0]?.ref },
    ]);
    expect(await callStatuses(user)).toEqual(["refunded"]);
  });

  it.each([
    ["finish_reason content_filter", "[content-filter]"],
    ["a refusal", "[refusal]"],
    ["an HTTP 400 content_filter", "[filter-400]"],
    ["a stream cut by content_filter", "[stream-filter]"],
  ])("answers CHAT_MODERATED on %s and refunds exactly once", async (_name, steer) => {
    const user = await createTestUser(app.deps, { points: 10 });
    const res = await chat(user, [{ role: "user", content: `讲个故事 ${steer}` }]);
    expect(res).toEqual({
      status: 200,
      body: { status: "failed", code: "CHAT_MODERATED", msg: "猫猫不方便聊这个话题，积分已退还，换个话题试试吧" },
    });
    expect(upstream.requests).toHaveLength(1);
    expect(await pointsOf(app.deps, user.id)).toBe(10);
    expect((await ledgerOf(user)).map((row) => [row.type, row.amount])).toEqual([
      ["consume", -price],
      ["refund", price],
    ]);
    expect(await callStatuses(user)).toEqual(["refunded"]);
  });

  it("reads the simulator's [stream] answer to stream:false as the reply", async () => {
    const user = await createTestUser(app.deps, { points: 10 });
    const res = await chat(user, [{ role: "user", content: "今天好累 [stream]" }]);
    expect(res.body).toEqual({ status: "success", reply: simulatedCatReply("今天好累 [stream]") });
    expect(await pointsOf(app.deps, user.id)).toBe(10 - price);
    expect(await callStatuses(user)).toEqual(["answered"]);
  });

  it("refuses a user who cannot pay with INSUFFICIENT_POINTS and sends nothing upstream", async () => {
    const user = await createTestUser(app.deps, { points: price - 1 });
    expect((await chat(user, [{ role: "user", content: "hi" }])).body).toEqual({
      status: "failed",
      code: "INSUFFICIENT_POINTS",
      msg: "积分不足",
    });
    expect(upstream.requests).toHaveLength(0);
    expect(await pointsOf(app.deps, user.id)).toBe(price - 1);
    expect(await ledgerOf(user)).toEqual([]);
  });

  it("lets exactly 10 of 20 concurrent chats through for a balance that pays for 10", async () => {
    const user = await createTestUser(app.deps, { points: 10 * price });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => chat(user, [{ role: "user", content: `第 ${i} 句` }])));
    expect(answers.filter((a) => a.body.status === "success")).toHaveLength(10);
    expect(answers.filter((a) => a.body.code === "INSUFFICIENT_POINTS")).toHaveLength(10);
    expect(upstream.requests).toHaveLength(10);
    expect(await pointsOf(app.deps, user.id)).toBe(0);
    expect((await ledgerOf(user)).filter((r) => r.type === "consume")).toHaveLength(10);
  });

  it("asks for a session: no headers → UNAUTHENTICATED, nothing sent", async () => {
    const res = await app.post("/api/proxy/cat/chat", { messages: [{ role: "user", content: "hi" }] });
    expect(res.body).toMatchObject({ status: "failed", code: "UNAUTHENTICATED" });
    expect(upstream.requests).toHaveLength(0);
  });

  it("leaves the ledger consistent after everything above", async () => {
    expect(await checkLedger(app.deps.db)).toMatchObject({ ok: true, offenders: [] });
  });
});
