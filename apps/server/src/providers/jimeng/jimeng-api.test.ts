/**
 * Our Jimeng adapter against a jimeng-api rebuilt from its own source (`test/fake-jimeng-api.ts`, which
 * cites the files): what cost users points or time before issue 16.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { gradientPng } from "../../simulator/png.js";
import { startTestApp, type TestApp } from "../../test/app.js";
import { startFakeJimengApi, type FakeJimengApi } from "../../test/fake-jimeng-api.js";
import { createTestUser, pointsOf, type TestUser } from "../../test/fixtures.js";
import { fastTuning } from "../../test/generation.js";
import { captureLog, type CapturedLog } from "../../test/log-capture.js";
import { ledgerOfTask, pollUntilFinal, taskByPublicId } from "../../test/tasks.js";
import { checkLedger } from "../../modules/points/ledger-check.js";
import { jimengModels } from "./options.js";
import { upstreamMessages } from "../outcome.js";

let jimeng: FakeJimengApi;
let app: TestApp;
let log: CapturedLog;
// An image call may take 800 ms here, a video 3 s: the two limits are apart, as in production (30 and 60 min).
const tuning = { ...fastTuning, leaseMs: 600, syncCallTimeoutMs: { jimeng_image: 800, jimeng_video: 3_000 } };
beforeAll(async () => {
  jimeng = await startFakeJimengApi();
  log = captureLog("info");
  app = await startTestApp({ JIMENG_BASE_URL: jimeng.url, JIMENG_API_KEY: "session-0123456789" }, { tuning, logger: log.logger });
});
afterAll(async () => {
  await app.close();
  await jimeng.close();
});
beforeEach(() => {
  jimeng.next = undefined;
  jimeng.calls.length = 0;
});

const accountAlarms = () => log.lines().filter((line) => String(line.msg).startsWith("upstream account problem"));

async function imageWithReference(user: TestUser): Promise<string> {
  const form = new FormData();
  form.append("prompt", "把这张图画成水彩");
  form.append("image", new Blob([gradientPng(16, 16)], { type: "image/png" }), "ref.png");
  const res = await fetch(`${app.url}/api/proxy/jimeng/image`, { method: "POST", headers: user.headers, body: form });
  return ((await res.json()) as { data: { id: string } }).data.id;
}

describe("jimeng-4.x answers four images", () => {
  it("keeps all four: draw/result, the task list and result_url (the first)", async () => {
    const user = await createTestUser(app.deps, { points: 4 });
    const created = await app.post("/api/proxy/jimeng/image", { prompt: "海边的猫" }, user.headers);
    const final = await pollUntilFinal(app, user.headers, created.body.data.id);
    const urls = final.result_urls as string[];
    expect(urls).toHaveLength(4);
    expect(new Set(urls).size).toBe(4);
    expect(final.result_url).toBe(urls[0]);
    const listed = await app.get("/api/user/tasks", user.headers);
    expect(listed.body.data[0]).toMatchObject({ id: created.body.data.id, result_url: urls[0], result_urls: urls });
    expect(await pointsOf(app.deps, user.id)).toBe(0);
  });
});

describe("a reference image refused by the content check", () => {
  it.each([
    [-2001, "图片内容检测未通过，该图片可能包含违规内容"],
    [-2007, "图片上传失败: 图片内容检测未通过，该图片可能包含违规内容"],
  ])("code %i (违规) is CONTENT_MODERATED with the reference-image message, refunded once, no operator alarm", async (code, message) => {
    jimeng.next = { code, message };
    const before = accountAlarms().length;
    const user = await createTestUser(app.deps, { points: 4 });
    const id = await imageWithReference(user);
    expect(await pollUntilFinal(app, user.headers, id)).toEqual({
      status: "failed",
      progress: 0,
      msg: upstreamMessages.referenceRefused,
      code: "CONTENT_MODERATED",
    });
    expect(jimeng.calls[0]?.path).toBe("/v1/images/compositions");
    expect(await ledgerOfTask(app.deps, id)).toEqual({ consume: [-4], refund: [4] });
    expect(accountAlarms().length).toBe(before);
  });

  it("keeps -2001 without 违规 (a failed request) an ordinary failure", async () => {
    jimeng.next = { code: -2001, message: "[请求频率限制]: 请求过于频繁，请稍后重试" };
    const user = await createTestUser(app.deps, { points: 4 });
    const id = await imageWithReference(user);
    expect(await pollUntilFinal(app, user.headers, id)).toMatchObject({ msg: upstreamMessages.error, code: "UPSTREAM_FAILED" });
  });
});

describe("the operator alarm", () => {
  it.each([
    [-2008, "[视频生成失败]: 视频生成失败", "video"],
    [-2007, "[生成失败]: 图像生成失败", "image"],
    [-1000, "系统异常", "image"],
  ])("code %i is this task's failure: refunded, no account alarm", async (code, message, kind) => {
    jimeng.next = { code, message };
    const before = accountAlarms().length;
    const user = await createTestUser(app.deps, { points: 20 });
    const created = await app.post(
      kind === "video" ? "/api/proxy/jimeng/create" : "/api/proxy/jimeng/image",
      { prompt: "猫" },
      user.headers,
    );
    expect(await pollUntilFinal(app, user.headers, created.body.data.id)).toMatchObject({
      msg: upstreamMessages.error,
      code: "UPSTREAM_FAILED",
    });
    expect(await pointsOf(app.deps, user.id)).toBe(20);
    expect(accountAlarms().length).toBe(before);
  });

  it.each([
    [-2000, "Params headers.authorization invalid"],
    [-2002, "[登录失效]: login error。请重新获取refresh_token并更新配置"],
    [-2009, "[积分不足]: 即梦积分不足"],
  ])("code %i is an account problem: the service message, refunded, and one error line for the operator", async (code, message) => {
    jimeng.next = { code, message };
    const before = accountAlarms().length;
    const user = await createTestUser(app.deps, { points: 4 });
    const created = await app.post("/api/proxy/jimeng/image", { prompt: "猫" }, user.headers);
    expect(await pollUntilFinal(app, user.headers, created.body.data.id)).toMatchObject({ msg: upstreamMessages.serviceProblem });
    expect(await pointsOf(app.deps, user.id)).toBe(4);
    expect(accountAlarms().slice(before)).toEqual([expect.objectContaining({ level: "error" })]);
    expect(JSON.stringify(log.lines())).not.toContain("session-0123456789");
  });
});

describe("a jimeng-api that echoes our session", () => {
  it("never stores or logs it", async () => {
    jimeng.next = { code: -2002, message: "[登录失效]: session session-0123456789 expired" };
    const user = await createTestUser(app.deps, { points: 4 });
    const created = await app.post("/api/proxy/jimeng/image", { prompt: "猫" }, user.headers);
    await pollUntilFinal(app, user.headers, created.body.data.id);
    const task = await taskByPublicId(app.deps, created.body.data.id);
    expect(task.failure_detail).toContain("[redacted]");
    expect(task.failure_detail).not.toContain("session-0123456789");
    expect(JSON.stringify(log.lines())).not.toContain("session-0123456789");
  });
});

describe("waiting as long as jimeng-api works", () => {
  it("a video that takes longer than an image may completes, and shows processing meanwhile", async () => {
    jimeng.next = { hangMs: 1_500, then: { images: 1 } };
    const user = await createTestUser(app.deps, { points: 20 });
    const created = await app.post("/api/proxy/jimeng/create", { prompt: "奔跑的猫" }, user.headers);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const listed = await app.get("/api/user/tasks", user.headers);
    expect(listed.body.data[0]).toMatchObject({ id: created.body.data.id, status: "processing" });
    expect(await pollUntilFinal(app, user.headers, created.body.data.id)).toMatchObject({ status: "completed" });
    expect(await pointsOf(app.deps, user.id)).toBe(0);
  });

  it("an image past its own limit is failed as too long and refunded once", async () => {
    jimeng.next = { hangMs: 1_500, then: { images: 4 } };
    const user = await createTestUser(app.deps, { points: 4 });
    const created = await app.post("/api/proxy/jimeng/image", { prompt: "猫" }, user.headers);
    expect(await pollUntilFinal(app, user.headers, created.body.data.id)).toMatchObject({ msg: upstreamMessages.tooLong });
    expect(await ledgerOfTask(app.deps, created.body.data.id)).toEqual({ consume: [-4], refund: [4] });
  });
});

describe("the options we accept are the ones jimeng-api accepts", () => {
  const image = jimengModels.jimeng_image["jimeng-4.0"];
  const video = jimengModels.jimeng_video["jimeng-video-3.0"];
  const cases = [
    ...image.ratio.flatMap((ratio) => image.resolution.map((resolution) => ["/api/proxy/jimeng/image", { ratio, resolution }] as const)),
    ...video.ratio.map((ratio) => ["/api/proxy/jimeng/create", { ratio }] as const),
    ...video.resolution.map((resolution) => ["/api/proxy/jimeng/create", { resolution }] as const),
    ...(video.duration ?? []).map((duration) => ["/api/proxy/jimeng/create", { duration }] as const),
  ];

  it(`every one of our ${cases.length} accepted values passes jimeng-api's checks`, async () => {
    const user = await createTestUser(app.deps, { points: 20 * cases.length });
    for (const [path, options] of cases) {
      const created = await app.post(path, { prompt: "猫", ...options }, user.headers);
      expect(await pollUntilFinal(app, user.headers, created.body.data.id), JSON.stringify(options)).toMatchObject({ status: "completed" });
    }
  });

  it.each([
    ["/api/proxy/jimeng/create", { ratio: "3:2" }],
    ["/api/proxy/jimeng/create", { duration: 15 }],
    ["/api/proxy/jimeng/image", { resolution: "8k" }],
  ])("what jimeng-api would refuse is refused before the charge: %s %j", async (path, options) => {
    const user = await createTestUser(app.deps, { points: 20 });
    const res = await app.post(path, { prompt: "猫", ...options }, user.headers);
    expect(res.body).toMatchObject({ status: "failed", code: "OPTION_UNSUPPORTED" });
    expect(jimeng.calls).toHaveLength(0);
    expect(await pointsOf(app.deps, user.id)).toBe(20);
  });

  it("leaves the ledger consistent after every case", async () => {
    expect(await checkLedger(app.deps.db)).toMatchObject({ ok: true });
  });
});
