import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readGrsaiStream } from "../providers/grsai/parse.js";
import { upstreamMessages } from "../providers/outcome.js";
import { withDeadline } from "../lib/http-post.js";
import { postUpstream } from "../providers/outcome.js";
import { checkLedger } from "../modules/points/ledger-check.js";
import { startTestApp, type TestApp } from "../test/app.js";
import { captureLog } from "../test/log-capture.js";
import { createTestUser, pointsOf } from "../test/fixtures.js";
import { bananaRequest, fastTuning, soraRequest } from "../test/generation.js";
import { ledgerOfTask, pollUntilFinal } from "../test/tasks.js";
import { startSimulator, type RunningSimulator } from "./app.js";
import { gradientPng } from "./png.js";
import { steeringWords } from "./steering.js";

let simulator: RunningSimulator;
let app: TestApp;
beforeAll(async () => {
  simulator = await startSimulator({ taskMs: 400 });
  app = await startTestApp(
    { GRSAI_BASE_URL: simulator.url, GRSAI_API_KEY: "sim-key", SORA_WAIT_SECONDS: "3", BANANA_WAIT_SECONDS: "3" },
    // [not-found] is unknown to the relay for 1.5 s and [poll-busy] answers two polls busy: both inside these.
    { tuning: { ...fastTuning, lostGraceMs: 5_000, pollFailureWindowMs: 5_000 } },
  );
});
afterAll(async () => {
  await app.close();
  await simulator.close();
});

describe("the simulator, through the app over real HTTP", () => {
  it("makes a video: the result URL serves a real MP4 file", async () => {
    const user = await createTestUser(app.deps, { points: 20 });
    const res = await app.post("/api/proxy/sora", soraRequest, user.headers);
    expect(res.body.data).toMatchObject({ status: "completed", progress: 100, result_url: expect.stringMatching(/\/files\/.+\.mp4$/) });
    const file = Buffer.from(await (await fetch(res.body.data.result_url)).arrayBuffer());
    expect(file.subarray(4, 8).toString("ascii")).toBe("ftyp");
    expect(file.length).toBeGreaterThan(1000);
  });

  it("makes an image: the result URL serves a real PNG file", async () => {
    const user = await createTestUser(app.deps, { points: 4 });
    const res = await app.post("/api/proxy/banana", bananaRequest, user.headers);
    const download = await fetch(res.body.data.result_url);
    expect(download.headers.get("content-type")).toBe("image/png");
    const file = Buffer.from(await download.arrayBuffer());
    expect(file.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect([file.readUInt32BE(16), file.readUInt32BE(20)]).toEqual([64, 64]);
  });

  it.each([
    [steeringWords.fail, upstreamMessages.error],
    [steeringWords.moderation, upstreamMessages.outputModeration],
    [steeringWords.inputModeration, upstreamMessages.inputModeration],
    [steeringWords.reject, upstreamMessages.serviceProblem],
    [steeringWords.garbage, upstreamMessages.unreadable],
    [steeringWords.hang, upstreamMessages.timeout],
  ])("steers %s to a failed task, refunded once", async (word, msg) => {
    const user = await createTestUser(app.deps, { points: 4 });
    const res = await app.post("/api/proxy/banana", { ...bananaRequest, prompt: `a cat ${word}` }, user.headers);
    const code =
      msg === upstreamMessages.outputModeration || msg === upstreamMessages.inputModeration ? "CONTENT_MODERATED" : "UPSTREAM_FAILED";
    expect(res.body).toEqual({ status: "failed", msg, code, data: { id: expect.any(String), status: "failed" } });
    expect(await ledgerOfTask(app.deps, res.body.data.id)).toEqual({ consume: [-4], refund: [4] });
    expect(await pointsOf(app.deps, user.id)).toBe(4);
  });

  it("steers [busy] to two 429 answers, then a completed task", async () => {
    const user = await createTestUser(app.deps, { points: 4 });
    const res = await app.post("/api/proxy/banana", { ...bananaRequest, prompt: `a cat ${steeringWords.busy}` }, user.headers);
    expect(res.body.data.status).toBe("completed");
  });

  it("steers [never] to a task that is still running when the wait passes", async () => {
    const user = await createTestUser(app.deps, { points: 4 });
    const res = await app.post("/api/proxy/banana", { ...bananaRequest, prompt: `a cat ${steeringWords.never}` }, user.headers);
    expect(res.body).toEqual({
      status: "success",
      data: {
        id: expect.any(String),
        status: "processing",
        progress: expect.any(Number),
        options: { imageSize: "1K", aspectRatio: "1:1" },
      },
    });
    expect((await app.post("/api/proxy/v1/draw/result", { id: res.body.data.id }, user.headers)).body.data.status).toBe("processing");
  });

  it("steers [slow] to a task that takes ten times as long", async () => {
    const user = await createTestUser(app.deps, { points: 4 });
    const res = await app.post("/api/proxy/banana", { ...bananaRequest, prompt: `a cat ${steeringWords.slow}` }, user.headers);
    expect(res.body.data.status).toBe("processing");
    expect(await pollUntilFinal(app, user.headers, res.body.data.id)).toMatchObject({ status: "completed" });
  });

  it("speaks the streaming mode without webHook: `data:` lines until the task ends", async () => {
    const endpoint = { baseUrl: simulator.url, apiKey: "sim-key" };
    const outcome = await withDeadline(5_000, async (signal) => {
      const res = await postUpstream(
        endpoint,
        "/v1/draw/nano-banana",
        JSON.stringify({ model: "nano-banana", prompt: "p", aspectRatio: "1:1", imageSize: "1K" }),
        signal,
      );
      expect(res.contentType).toMatch(/^text\/event-stream/);
      return readGrsaiStream(res.chunks());
    });
    expect(outcome).toEqual({ kind: "accepted", upstreamId: expect.stringMatching(/^sim-/) });
  });

  it("refuses a request without a Bearer key", async () => {
    const res = await fetch(`${simulator.url}/v1/draw/result`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(401);
  });

  it.each([
    [steeringWords.pollBusy, "two polls answer {code:-1, msg:system busy}"],
    [steeringWords.notFound, "the first polls answer code -22"],
    [steeringWords.framed, "the submit answers a data: line"],
  ])("steers %s (%s) to a completed task, charged once", async (word, _what) => {
    const user = await createTestUser(app.deps, { points: 4 });
    const res = await app.post("/api/proxy/banana", { ...bananaRequest, prompt: `a cat ${word}` }, user.headers);
    expect(await pollUntilFinal(app, user.headers, res.body.data.id)).toMatchObject({ status: "completed" });
    expect(await ledgerOfTask(app.deps, res.body.data.id)).toEqual({ consume: [-4], refund: [] });
  });

  it("steers [violation] to a moderated task at the first poll, refunded once", async () => {
    const user = await createTestUser(app.deps, { points: 4 });
    const res = await app.post("/api/proxy/banana", { ...bananaRequest, prompt: `a cat ${steeringWords.violation}` }, user.headers);
    expect(res.body).toMatchObject({ status: "failed", code: "CONTENT_MODERATED", msg: upstreamMessages.contentFiltered });
    expect(await ledgerOfTask(app.deps, res.body.data.id)).toEqual({ consume: [-4], refund: [4] });
  });

  it("steers [submit-500] to one submit, failed and refunded: never resubmitted", async () => {
    const user = await createTestUser(app.deps, { points: 4 });
    const before = simulator.state.counts.submit;
    const res = await app.post("/api/proxy/banana", { ...bananaRequest, prompt: `a cat ${steeringWords.submitError}` }, user.headers);
    expect(res.body).toMatchObject({ status: "failed", msg: upstreamMessages.busy });
    expect(simulator.state.counts.submit - before).toBe(1);
    expect(await pointsOf(app.deps, user.id)).toBe(4);
  });

  it("leaves the ledger consistent", async () => {
    expect(await checkLedger(app.deps.db)).toMatchObject({ ok: true });
  });
});

describe("the simulator's Jimeng protocol, through the app", () => {
  let jimengApp: TestApp;
  beforeAll(async () => {
    jimengApp = await startTestApp(
      { JIMENG_BASE_URL: simulator.url, JIMENG_API_KEY: "sim-session" },
      { tuning: { ...fastTuning, syncCallTimeoutMs: { jimeng_image: 1_500, jimeng_video: 1_500 } } },
    );
  });
  afterAll(() => jimengApp.close());

  it("makes an image from a multipart upload, served as a real PNG", async () => {
    const user = await createTestUser(jimengApp.deps, { points: 4 });
    const form = new FormData();
    form.append("prompt", "水彩猫");
    form.append("image", new Blob([gradientPng(16, 16)], { type: "image/png" }), "ref.png");
    const created = (await (
      await fetch(`${jimengApp.url}/api/proxy/jimeng/image`, { method: "POST", headers: user.headers, body: form })
    ).json()) as { data: { id: string } };
    const final = await pollUntilFinal(jimengApp, user.headers, created.data.id);
    // jimeng-api answers four images for an image: all four are kept, the first is result_url.
    expect(final).toMatchObject({ status: "completed", result_url: expect.stringMatching(/\.png$/) });
    const urls = final.result_urls as string[];
    expect(urls).toHaveLength(4);
    expect(urls[0]).toBe(final.result_url);
    const file = Buffer.from(await (await fetch(String(final.result_url))).arrayBuffer());
    expect(file.subarray(1, 4).toString("ascii")).toBe("PNG");
  });

  it("makes a video, served as a real MP4", async () => {
    const user = await createTestUser(jimengApp.deps, { points: 20 });
    const created = await jimengApp.post("/api/proxy/jimeng/create", { prompt: "奔跑的猫" }, user.headers);
    const final = await pollUntilFinal(jimengApp, user.headers, created.body.data.id);
    const file = Buffer.from(await (await fetch(String(final.result_url))).arrayBuffer());
    expect(file.subarray(4, 8).toString("ascii")).toBe("ftyp");
  });

  it.each([
    [steeringWords.moderation, upstreamMessages.contentFiltered],
    [steeringWords.reject, upstreamMessages.serviceProblem],
    [steeringWords.fail, upstreamMessages.error],
    [steeringWords.garbage, upstreamMessages.unreadable],
    [steeringWords.busy, upstreamMessages.error],
    [steeringWords.expired, upstreamMessages.serviceProblem],
    [steeringWords.violation, upstreamMessages.referenceRefused],
    [steeringWords.hang, upstreamMessages.tooLong],
  ])("steers %s to a failed task, refunded once", async (word, msg) => {
    const user = await createTestUser(jimengApp.deps, { points: 4 });
    const created = await jimengApp.post("/api/proxy/jimeng/image", { prompt: `猫 ${word}` }, user.headers);
    expect(await pollUntilFinal(jimengApp, user.headers, created.body.data.id)).toEqual({
      status: "failed",
      progress: 0,
      msg,
      code: msg === upstreamMessages.contentFiltered || msg === upstreamMessages.referenceRefused ? "CONTENT_MODERATED" : "UPSTREAM_FAILED",
    });
    expect(await ledgerOfTask(jimengApp.deps, created.body.data.id)).toEqual({ consume: [-4], refund: [4] });
  });
});

describe("a simulator restart in the middle of a task", () => {
  it("answers the polls of the tasks made before it: the task completes, nothing is logged as an error", async () => {
    const log = captureLog("info");
    let first = await startSimulator({ taskMs: 300 });
    const port = Number(new URL(first.url).port);
    const restartApp = await startTestApp(
      { GRSAI_BASE_URL: first.url, GRSAI_API_KEY: "sim-key", BANANA_WAIT_SECONDS: "1" },
      { tuning: fastTuning, logger: log.logger },
    );
    try {
      const user = await createTestUser(restartApp.deps, { points: 4 });
      // [slow]: about 3 s, longer than the 1 s held answer.
      const res = await restartApp.post("/api/proxy/banana", { ...bananaRequest, prompt: `a cat ${steeringWords.slow}` }, user.headers);
      expect(res.body.data.status).toBe("processing");
      await first.close();
      first = await startSimulator({ taskMs: 300, port });
      expect(first.state.tasks.size).toBe(0);
      expect(await pollUntilFinal(restartApp, user.headers, res.body.data.id)).toMatchObject({
        status: "completed",
        result_url: expect.stringMatching(/\.png$/),
      });
      expect(await ledgerOfTask(restartApp.deps, res.body.data.id)).toEqual({ consume: [-4], refund: [] });
      expect(log.lines().filter((line) => line.level === "error")).toEqual([]);
    } finally {
      await restartApp.close();
      await first.close();
    }
  });
});
