import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkLedger } from "../modules/points/ledger-check.js";
import { upstreamMessages } from "../providers/outcome.js";
import { startBrokenUpstream, type BrokenAnswer, type BrokenUpstream } from "../test/broken-upstream.js";
import { startTestApp, type TestApp } from "../test/app.js";
import { createTestUser, pointsOf } from "../test/fixtures.js";
import { bananaRequest, fastTuning, grsaiKey } from "../test/generation.js";
import { ledgerOfTask, pollUntilFinal, taskByPublicId } from "../test/tasks.js";

/** What DESIGN §6 leaves to these cases that modules/generation/*failures* and chat.test.ts do not cover: a connection
 * reset in the middle of an answer and a malformed (truncated) body, for GrsAI, Jimeng and the cat chat. */
let upstream: BrokenUpstream;
let app: TestApp;
beforeAll(async () => {
  upstream = await startBrokenUpstream();
  app = await startTestApp(
    {
      GRSAI_BASE_URL: upstream.url,
      GRSAI_API_KEY: grsaiKey,
      BANANA_WAIT_SECONDS: "1",
      JIMENG_BASE_URL: upstream.url,
      JIMENG_API_KEY: "jimeng-session-key-0123456789",
      CHAT_BASE_URL: upstream.url,
      CHAT_API_KEY: "sk-chat-key-0123456789",
      CHAT_PRICE_POINTS: "3",
      CHAT_TIMEOUT_MS: "2000",
    },
    { tuning: { ...fastTuning, syncCallTimeoutMs: { jimeng_image: 1_500, jimeng_video: 1_500 } } },
  );
});
afterAll(async () => {
  await app?.close();
  await upstream?.close();
});

const reset: BrokenAnswer = { kind: "reset" };
const truncated: BrokenAnswer = { kind: "truncated" };
const resetAlways = () => reset;
const accepted = (id: string): BrokenAnswer => ({ kind: "json", json: { code: 0, msg: "success", data: { id } } });
const succeeded = (id: string): BrokenAnswer => ({
  kind: "json",
  json: {
    code: 0,
    msg: "success",
    data: {
      id,
      results: [{ url: `https://cdn.example.com/${id}.png`, content: "" }],
      progress: 100,
      status: "succeeded",
      failure_reason: "",
      error: "",
    },
  },
});

describe("GrsAI answers broken in the middle", () => {
  const cases: Array<[string, (seen: number) => BrokenAnswer, (seen: number) => BrokenAnswer, "completed" | "failed", string | undefined]> =
    [
      // A reset once the request was sent may have created the task upstream: not resubmitted, failed as busy.
      ["a reset mid-answer at submit", resetAlways, () => reset, "failed", upstreamMessages.busy],
      ["a truncated JSON body at submit", () => truncated, () => reset, "failed", upstreamMessages.unreadable],
      [
        "a reset mid-answer while polling, then success",
        () => accepted("g3"),
        (seen) => (seen < 3 ? reset : succeeded("g3")),
        "completed",
        undefined,
      ],
      ["a truncated JSON body at every poll", () => accepted("g4"), () => truncated, "failed", upstreamMessages.unreadable],
    ];
  it.each(cases)("%s", async (_name, submit, poll, status, msg) => {
    upstream.counts.clear();
    upstream.on("/v1/draw/nano-banana", (seen) => submit(seen));
    upstream.on("/v1/draw/result", (seen) => poll(seen));
    const user = await createTestUser(app.deps, { points: 10 });
    const res = await app.post("/api/proxy/banana", bananaRequest, user.headers);
    expect(res.status).toBe(200);
    expect(res.body.code).not.toBe("INTERNAL");
    const id: string = res.body.data.id;
    const final = await pollUntilFinal(app, user.headers, id);
    expect(final).toMatchObject(status === "completed" ? { status } : { status, msg });
    expect(await ledgerOfTask(app.deps, id)).toEqual({ consume: [-4], refund: status === "failed" ? [4] : [] });
    expect(await pointsOf(app.deps, user.id)).toBe(status === "failed" ? 10 : 6);
    expect((await taskByPublicId(app.deps, id)).lease_until).toBeNull();
    if (submit === resetAlways) expect(upstream.counts.get("/v1/draw/nano-banana")).toBe(1);
  });
});

describe("Jimeng answers broken in the middle", () => {
  it.each([
    ["a reset mid-answer", reset],
    ["a truncated JSON body", truncated],
  ])("%s: failed with exactly one refund", async (_name, answer) => {
    upstream.on("/v1/images/generations", () => answer);
    const user = await createTestUser(app.deps, { points: 4 });
    const res = await app.post("/api/proxy/jimeng/image", { prompt: "猫" }, user.headers);
    expect(res.body).toMatchObject({ status: "success" });
    const final = await pollUntilFinal(app, user.headers, res.body.data.id);
    expect(final).toMatchObject({ status: "failed", msg: expect.any(String) });
    expect(await ledgerOfTask(app.deps, res.body.data.id)).toEqual({ consume: [-4], refund: [4] });
    expect(await pointsOf(app.deps, user.id)).toBe(4);
  });
});

describe("cat chat answers broken in the middle", () => {
  it.each([
    ["a reset mid-answer", reset],
    ["a truncated JSON body", truncated],
  ])("%s: CHAT_FAILED and exactly one refund", async (_name, answer) => {
    upstream.on("/v1/chat/completions", () => answer);
    const user = await createTestUser(app.deps, { points: 10 });
    const res = await app.post("/api/proxy/cat/chat", { messages: [{ role: "user", content: "喵" }] }, user.headers);
    expect(res).toEqual({ status: 200, body: { status: "failed", code: "CHAT_FAILED", msg: expect.any(String) } });
    expect(await pointsOf(app.deps, user.id)).toBe(10);
    const rows = await app.deps.db
      .selectFrom("ledger")
      .select(["type", "amount"])
      .where("user_id", "=", user.id)
      .where("type", "!=", "register")
      .orderBy("id")
      .execute();
    expect(rows).toEqual([
      { type: "consume", amount: -3 },
      { type: "refund", amount: 3 },
    ]);
  });
});

describe("after every broken answer", () => {
  it("the ledger is consistent", async () => {
    expect((await checkLedger(app.deps.db)).offenders).toEqual([]);
  });
});
