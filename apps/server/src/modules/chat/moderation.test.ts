import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { upstreamCalls } from "../../metrics/metrics.js";
import { startTestApp, type TestApp } from "../../test/app.js";
import {
  completionAnswer,
  filteredPromptAnswer,
  invalidRequestAnswer,
  startFakeOpenAi,
  streamAnswer,
  type FakeOpenAi,
} from "../../test/fake-openai.js";
import { createTestUser, pointsOf, type TestUser } from "../../test/fixtures.js";
import { captureLog, type CapturedLog } from "../../test/log-capture.js";
import { checkLedger } from "../points/ledger-check.js";

const apiKey = `sk-test-${randomUUID()}`;
const price = 2;
const moderated = { status: "failed", code: "CHAT_MODERATED", msg: "猫猫不方便聊这个话题，积分已退还，换个话题试试吧" };
const failed = { status: "failed", code: "CHAT_FAILED", msg: "猫猫暂时不在，积分已退还，请稍后再试" };

let fake: FakeOpenAi;
let log: CapturedLog;
let app: TestApp;
beforeAll(async () => {
  fake = await startFakeOpenAi();
  log = captureLog("info");
  app = await startTestApp(
    { CHAT_BASE_URL: fake.url, CHAT_API_KEY: apiKey, CHAT_MODEL: "gpt-4o-mini", CHAT_PRICE_POINTS: String(price), CHAT_TIMEOUT_MS: "3000" },
    { logger: log.logger },
  );
});
afterAll(async () => {
  await app.close();
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
});

async function ledgerOf(user: TestUser) {
  return app.deps.db
    .selectFrom("ledger")
    .select(["type", "amount", "description", "ref"])
    .where("user_id", "=", user.id)
    .where("type", "!=", "register")
    .orderBy("id")
    .execute();
}

async function chatCounts(): Promise<Record<string, number>> {
  const metric = await upstreamCalls.get();
  return Object.fromEntries(metric.values.filter((v) => v.labels.provider === "chat").map((v) => [String(v.labels.outcome), v.value]));
}

/** One chat through the real server over HTTP, with what it did to the user's points, the metrics and the log. */
async function chatThrough(content = "讲个故事") {
  const user = await createTestUser(app.deps, { points: 10 });
  const before = await chatCounts();
  const logFrom = log.lines().length;
  const res = await app.post("/api/proxy/cat/chat", { messages: [{ role: "user", content }] }, user.headers);
  const after = await chatCounts();
  const counted = Object.fromEntries(
    Object.entries(after)
      .map(([outcome, value]) => [outcome, value - (before[outcome] ?? 0)] as const)
      .filter(([, delta]) => delta !== 0),
  );
  const lines = log.lines().slice(logFrom);
  return { user, res, counted, lines, points: await pointsOf(app.deps, user.id), ledger: await ledgerOf(user) };
}

async function expectRefundedOnce(outcome: Awaited<ReturnType<typeof chatThrough>>) {
  expect(outcome.points).toBe(10);
  expect(outcome.ledger).toEqual([
    { type: "consume", amount: -price, description: "猫猫对话", ref: expect.stringMatching(/^chat:[0-9a-f-]{36}$/) },
    { type: "refund", amount: price, description: "对话失败退款", ref: outcome.ledger[0]?.ref },
  ]);
  const calls = await app.deps.db.selectFrom("chat_calls").select("status").where("user_id", "=", outcome.user.id).execute();
  expect(calls).toEqual([{ status: "refunded" }]);
}

/** A moderation is the user's topic, not an outage: no error line, no account alarm, no http_<status> count. */
function expectNoOutage(outcome: Awaited<ReturnType<typeof chatThrough>>) {
  expect(outcome.counted).toEqual({ moderated: 1 });
  expect(outcome.lines).toContainEqual(
    expect.objectContaining({ level: "info", kind: "moderated", msg: "chat provider moderated the conversation" }),
  );
  expect(outcome.lines.filter((line) => line.level === "warn" || line.level === "error")).toEqual([]);
  expect(log.text()).not.toContain(apiKey);
}

describe("a cat chat the provider moderates", () => {
  it.each([
    ["finish_reason content_filter with content null (OpenAI)", () => completionAnswer({ content: null }, "content_filter")],
    [
      "finish_reason content_filter with partial text (Azure OpenAI's output filter)",
      () => completionAnswer({ content: "从前有一座山，山里有" }, "content_filter", true),
    ],
    [
      "a message.refusal with content null",
      () => completionAnswer({ content: null, refusal: "I'm sorry, I can't help with that." }, "stop"),
    ],
    ["HTTP 400 error.code content_filter (Azure OpenAI's prompt filter)", filteredPromptAnswer],
    [
      "a stream answered to stream:false that ends in finish_reason content_filter",
      () => streamAnswer(["从前", "有一座", "山"], { finishReason: "content_filter", azure: true }),
    ],
  ])("answers CHAT_MODERATED on %s, refunds once, and raises no alarm", async (_name, answer) => {
    fake.answer = answer();
    const outcome = await chatThrough();
    expect(outcome.res).toEqual({ status: 200, body: moderated });
    expect(JSON.stringify(outcome.res.body)).not.toContain("从前");
    expect(fake.requests).toHaveLength(1);
    await expectRefundedOnce(outcome);
    expectNoOutage(outcome);
  });

  it("keeps CHAT_FAILED for a 400 that is not a content filter, counted as http_400", async () => {
    fake.answer = invalidRequestAnswer();
    const outcome = await chatThrough();
    expect(outcome.res).toEqual({ status: 200, body: failed });
    await expectRefundedOnce(outcome);
    expect(outcome.counted).toEqual({ http_400: 1 });
    expect(outcome.lines).toContainEqual(expect.objectContaining({ level: "warn", kind: "http", httpStatus: 400 }));
  });

  it("delivers a reply cut by finish_reason length: that is no moderation", async () => {
    fake.answer = completionAnswer({ content: "从前有一座山，山里有" }, "length");
    const outcome = await chatThrough();
    expect(outcome.res).toEqual({ status: 200, body: { status: "success", reply: "从前有一座山，山里有" } });
    expect(outcome.points).toBe(10 - price);
    expect(outcome.counted).toEqual({ ok: 1 });
  });
});

describe("a stream answered to stream:false", () => {
  it("joins every choices[0].delta.content of a text/event-stream answer up to data: [DONE]", async () => {
    fake.answer = streamAnswer(["喵~ ", "你好", "呀！", "今天过得怎么样？"], { azure: true });
    const outcome = await chatThrough();
    expect(fake.requests).toEqual([expect.objectContaining({ stream: false, model: "gpt-4o-mini" })]);
    expect(outcome.res).toEqual({ status: 200, body: { status: "success", reply: "喵~ 你好呀！今天过得怎么样？" } });
    expect(outcome.points).toBe(10 - price);
    expect(outcome.ledger).toEqual([expect.objectContaining({ type: "consume", amount: -price })]);
    expect(outcome.counted).toEqual({ ok: 1 });
  });

  it("reads data: lines sent under a JSON Content-Type as a stream too", async () => {
    fake.answer = streamAnswer(["Meow", ", hello", "!"], { contentType: "application/json" });
    expect((await chatThrough()).res.body).toEqual({ status: "success", reply: "Meow, hello!" });
  });

  it("ignores what follows data: [DONE]", async () => {
    const answer = streamAnswer(["喵"]);
    fake.answer = { ...answer, body: `${answer.body}data: {"choices":[{"index":0,"delta":{"content":"多余"}}]}\n\n` };
    expect((await chatThrough()).res.body).toEqual({ status: "success", reply: "喵" });
  });

  it("fails and refunds a stream cut off before its end (no finish_reason, no data: [DONE])", async () => {
    fake.answer = streamAnswer(["从前", "有一座"], { finishReason: "none" });
    const outcome = await chatThrough();
    expect(outcome.res).toEqual({ status: 200, body: failed });
    await expectRefundedOnce(outcome);
  });

  it("fails and refunds a stream over the 4 MB bound of an answer", async () => {
    fake.answer = streamAnswer(["喵", "喵", "喵", "喵"], { padTo: 4_100_000 });
    expect(fake.answer.body.length).toBeGreaterThan(4_000_000);
    const outcome = await chatThrough();
    expect(outcome.res).toEqual({ status: 200, body: failed });
    await expectRefundedOnce(outcome);
  });

  it("leaves the ledger consistent after everything above", async () => {
    expect(await checkLedger(app.deps.db)).toMatchObject({ ok: true, offenders: [] });
  });
});

describe("a moderated chat at price 0", () => {
  it("answers CHAT_MODERATED without a refund in its message, and writes no ledger row", async () => {
    const free = await startTestApp({ CHAT_BASE_URL: fake.url, CHAT_API_KEY: apiKey, CHAT_PRICE_POINTS: "0" });
    try {
      fake.answer = filteredPromptAnswer();
      const user = await createTestUser(free.deps, { points: 10 });
      const res = await free.post("/api/proxy/cat/chat", { messages: [{ role: "user", content: "hi" }] }, user.headers);
      expect(res).toEqual({ status: 200, body: { status: "failed", code: "CHAT_MODERATED", msg: "猫猫不方便聊这个话题，换个话题试试吧" } });
      expect(await pointsOf(free.deps, user.id)).toBe(10);
      expect(
        await free.deps.db.selectFrom("ledger").select("id").where("user_id", "=", user.id).where("type", "!=", "register").execute(),
      ).toEqual([]);
    } finally {
      await free.close();
    }
  });
});
