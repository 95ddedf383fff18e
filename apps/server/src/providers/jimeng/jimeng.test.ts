import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { gradientPng } from "../../simulator/png.js";
import { startTestApp, type TestApp } from "../../test/app.js";
import { parseRecordedMultipart, startFakeUpstream, type FakeAnswer, type FakeUpstream } from "../../test/fake-upstream.js";
import { createTestUser, pointsOf, type TestUser } from "../../test/fixtures.js";
import { fastTuning } from "../../test/generation.js";
import { ledgerOfTask, pollUntilFinal, taskByPublicId, taskCount } from "../../test/tasks.js";
import { runCommand } from "../../test/cli.js";
import { checkLedger } from "../../modules/points/ledger-check.js";
import { tasksListCommand, tasksShowCommand } from "../../modules/generation/commands.js";
import { createGeneration } from "../../tasks/create-generation.js";
import { reconcileDue } from "../../tasks/reconciler.js";
import { upstreamMessages } from "../outcome.js";

const jimengKey = "jimeng-session-key-0123456789";
let fake: FakeUpstream;
let app: TestApp;
const tuning = { ...fastTuning, leaseMs: 600, syncCallTimeoutMs: { jimeng_image: 1_500, jimeng_video: 1_500 } };
beforeAll(async () => {
  fake = await startFakeUpstream();
  app = await startTestApp({ JIMENG_BASE_URL: `${fake.url}/v1`, JIMENG_API_KEY: jimengKey }, { tuning });
});
afterAll(async () => {
  await app.close();
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
});

const png = gradientPng(32, 32, 7);
const result = (url: string): FakeAnswer => ({ json: { created: 1732500000, data: [{ url, revised_prompt: "p" }] } });
const later =
  (answer: FakeAnswer, ms = 200) =>
  () =>
    new Promise<FakeAnswer>((resolve) => setTimeout(() => resolve(answer), ms));

function multipart(fields: Record<string, string>, file?: { bytes: Buffer; name: string; type: string }): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  if (file) form.append("image", new Blob([file.bytes], { type: file.type }), file.name);
  return form;
}

/** POSTs a multipart form with only the two session headers, as the frontend does. */
async function postForm(path: string, form: FormData, user: TestUser) {
  const started = Date.now();
  const res = await fetch(`${app.url}${path}`, { method: "POST", headers: user.headers, body: form });
  return {
    ms: Date.now() - started,
    body: (await res.json()) as { status: string; code?: string; msg?: string; data: { id: string; status: string } },
  };
}

describe("Jimeng images", () => {
  it("JSON: answers pending at once, maps the known keys, ignores the others, and completes through polling", async () => {
    fake.on("/v1/images/generations", later(result("https://cdn.example.com/j1.png")));
    const user = await createTestUser(app.deps, { points: 10 });
    const started = Date.now();
    const res = await app.post(
      "/api/proxy/jimeng/image",
      { prompt: "海边的猫", model: "jimeng-4.0", ratio: "16:9", negative_prompt: "模糊", style: "ignored" },
      user.headers,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(res.body).toEqual({ status: "success", data: { id: expect.any(String), status: "pending" } });

    expect(await pollUntilFinal(app, user.headers, res.body.data.id)).toEqual({
      status: "completed",
      progress: 100,
      result_url: "https://cdn.example.com/j1.png",
      result_urls: ["https://cdn.example.com/j1.png"],
    });
    const [call] = fake.to("/v1/images/generations");
    expect(call?.headers.authorization).toBe(`Bearer ${jimengKey}`);
    expect(call?.json).toEqual({ model: "jimeng-4.0", prompt: "海边的猫", ratio: "16:9", resolution: "2k", negative_prompt: "模糊" });
    expect(await ledgerOfTask(app.deps, res.body.data.id)).toEqual({ consume: [-4], refund: [] });
    expect(await pointsOf(app.deps, user.id)).toBe(6);
  });

  it("multipart with an image: every field a string, the bytes arrive intact in field `images` of /v1/images/compositions, kept until the task ends", async () => {
    let release: (answer: FakeAnswer) => void = () => undefined;
    fake.on("/v1/images/compositions", () => new Promise<FakeAnswer>((resolve) => (release = resolve)));
    const user = await createTestUser(app.deps, { points: 4 });
    const res = await postForm(
      "/api/proxy/jimeng/image",
      multipart({ prompt: "把猫画成水彩", ratio: "1:1", resolution: "4k" }, { bytes: png, name: "cat.png", type: "image/png" }),
      user,
    );
    expect(res.ms).toBeLessThan(5_000);
    expect(res.body).toEqual({ status: "success", data: { id: expect.any(String), status: "pending" } });
    const task = await taskByPublicId(app.deps, res.body.data.id);
    while (fake.to("/v1/images/compositions").length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    const stored = await app.deps.db.selectFrom("task_uploads").selectAll().where("task_id", "=", task.id).executeTakeFirstOrThrow();
    expect(stored.content_type).toBe("image/png");
    expect(Buffer.compare(stored.bytes, png)).toBe(0);

    const [call] = fake.to("/v1/images/compositions");
    expect(call?.headers.authorization).toBe(`Bearer ${jimengKey}`);
    const sent = await parseRecordedMultipart(call!);
    expect(sent.fields).toEqual({ model: "jimeng-4.0", prompt: "把猫画成水彩", ratio: "1:1", resolution: "4k" });
    expect(Object.keys(sent.files)).toEqual(["images"]);
    expect(Buffer.compare(sent.files.images!.bytes, png)).toBe(0);
    expect(sent.files.images!.mimeType).toBe("image/png");

    release(result("https://cdn.example.com/j2.png"));
    expect(await pollUntilFinal(app, user.headers, res.body.data.id)).toMatchObject({
      status: "completed",
      result_url: "https://cdn.example.com/j2.png",
      result_urls: ["https://cdn.example.com/j2.png"],
    });
    expect(await app.deps.db.selectFrom("task_uploads").selectAll().where("task_id", "=", task.id).execute()).toEqual([]);

    const listed = (await runCommand(tasksListCommand, app.deps, { options: { user: user.email }, json: true })).json;
    expect(listed).toEqual([
      expect.objectContaining({ id: task.public_id, kind: "jimeng_image", model: "jimeng-4.0", status: "completed", cost: 4 }),
    ]);
    const shown = (await runCommand(tasksShowCommand, app.deps, { args: [task.public_id], json: true })).json;
    expect(shown).toMatchObject({
      kind: "jimeng_image",
      upstream_id: null,
      request: { model: "jimeng-4.0", image: `image/png, ${png.length} bytes` },
      upstream_calls: 1,
    });
    expect(JSON.stringify(shown)).not.toContain(jimengKey);
  });

  it("multipart without a file calls /v1/images/generations", async () => {
    fake.on("/v1/images/generations", () => result("https://cdn.example.com/j3.png"));
    const user = await createTestUser(app.deps, { points: 4 });
    const res = await postForm("/api/proxy/jimeng/image", multipart({ prompt: "一只猫", model: "" }), user);
    expect(await pollUntilFinal(app, user.headers, res.body.data.id)).toMatchObject({ status: "completed" });
    expect(fake.to("/v1/images/generations")[0]?.json).toEqual({ model: "jimeng-4.0", prompt: "一只猫", ratio: "1:1", resolution: "2k" });
  });
});

describe("Jimeng videos", () => {
  it("JSON: /v1/videos/generations with the mapped model, ratio, resolution and duration, for 20 points", async () => {
    fake.on("/v1/videos/generations", later(result("https://cdn.example.com/v1.mp4")));
    const user = await createTestUser(app.deps, { points: 25 });
    const res = await app.post("/api/proxy/jimeng/create", { prompt: "海边的猫", ratio: "9:16", duration: 10 }, user.headers);
    expect(res.body).toEqual({ status: "success", data: { id: expect.any(String), status: "pending" } });
    expect(await pollUntilFinal(app, user.headers, res.body.data.id)).toMatchObject({
      status: "completed",
      result_url: "https://cdn.example.com/v1.mp4",
      result_urls: ["https://cdn.example.com/v1.mp4"],
    });
    expect(fake.to("/v1/videos/generations")[0]?.json).toEqual({
      model: "jimeng-video-3.0",
      prompt: "海边的猫",
      ratio: "9:16",
      resolution: "720p",
      duration: 10,
    });
    expect(await pointsOf(app.deps, user.id)).toBe(5);
    const listed = await app.get("/api/user/tasks", user.headers);
    expect(listed.body.data[0]).toMatchObject({ kind: "jimeng_video", model: "jimeng-video-3.0", status: "completed", cost: 20 });
  });

  it("multipart with an image: the bytes arrive in field `image_file_1`", async () => {
    fake.on("/v1/videos/generations", () => result("https://cdn.example.com/v2.mp4"));
    const user = await createTestUser(app.deps, { points: 20 });
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(300, 7)]);
    const res = await postForm(
      "/api/proxy/jimeng/create",
      multipart({ prompt: "猫在跑", duration: "5" }, { bytes: jpeg, name: "x.bin", type: "application/octet-stream" }),
      user,
    );
    expect(await pollUntilFinal(app, user.headers, res.body.data.id)).toMatchObject({ status: "completed" });
    const sent = await parseRecordedMultipart(fake.to("/v1/videos/generations")[0]!);
    expect(sent.fields).toEqual({ model: "jimeng-video-3.0", prompt: "猫在跑", ratio: "16:9", resolution: "720p", duration: "5" });
    expect(Buffer.compare(sent.files.image_file_1!.bytes, jpeg)).toBe(0);
    expect(sent.files.image_file_1!.mimeType).toBe("image/jpeg");
  });
});

describe("refused with nothing charged and nothing sent", () => {
  const cases: Array<[string, () => FormData | Record<string, unknown>, string, RegExp]> = [
    [
      "a text file named .png",
      () => multipart({ prompt: "p" }, { bytes: Buffer.from("just text, not an image"), name: "cat.png", type: "image/png" }),
      "UPLOAD_INVALID",
      /不是 PNG、JPEG 或 WebP/,
    ],
    [
      "an upload over 10 MB",
      () => multipart({ prompt: "p" }, { bytes: Buffer.concat([png, Buffer.alloc(10 * 1024 * 1024)]), name: "big.png", type: "image/png" }),
      "PAYLOAD_TOO_LARGE",
      /不能超过 10 MB/,
    ],
    [
      "a multipart form without a prompt",
      () => multipart({ ratio: "1:1" }, { bytes: png, name: "cat.png", type: "image/png" }),
      "VALIDATION",
      /^请填写提示词$/,
    ],
    ["JSON without a prompt", () => ({ ratio: "1:1" }), "VALIDATION", /^请填写提示词$/],
    [
      "a negative prompt over 2000 characters",
      () => ({ prompt: "p", negative_prompt: "长".repeat(2001) }),
      "VALIDATION",
      /^反向提示词不能超过 2000 个字符$/,
    ],
    // PostgreSQL cannot store a NUL: no string field of the form reaches it with one.
    ["a multipart prompt with a NUL", () => multipart({ prompt: "a\u0000b" }), "VALIDATION", /^提示词不能包含空字符$/],
    [
      "a multipart negative prompt with a NUL",
      () => multipart({ prompt: "p", negative_prompt: "a\u0000b" }),
      "VALIDATION",
      /^反向提示词不能包含空字符$/,
    ],
    [
      "a multipart model with a NUL",
      () => multipart({ prompt: "p", model: "jimeng-4.0\u0000" }),
      "MODEL_UNKNOWN",
      /^不支持该模型，可选：jimeng-4.0$/,
    ],
    [
      "a multipart ratio with a NUL",
      () => multipart({ prompt: "p", ratio: "1:1\u0000" }),
      "OPTION_UNSUPPORTED",
      /^不支持该画面比例，可选：/,
    ],
    ["an unknown model", () => ({ prompt: "p", model: "midjourney" }), "MODEL_UNKNOWN", /^不支持该模型，可选：jimeng-4.0$/],
    ["a ratio with no mapping", () => ({ prompt: "p", ratio: "5:1" }), "OPTION_UNSUPPORTED", /^不支持该画面比例，可选：/],
  ];
  it.each(cases)("%s", async (_name, body, code, msg) => {
    const user = await createTestUser(app.deps, { points: 50 });
    const before = await taskCount(app.deps);
    const made = body();
    const res =
      made instanceof FormData
        ? (await postForm("/api/proxy/jimeng/image", made, user)).body
        : (await app.post("/api/proxy/jimeng/image", made, user.headers)).body;
    expect(res).toEqual({
      status: "failed",
      code,
      msg: expect.stringMatching(msg),
      ...(code === "VALIDATION" ? { field: expect.stringMatching(/prompt$/) } : {}),
    });
    expect(await pointsOf(app.deps, user.id)).toBe(50);
    expect(await taskCount(app.deps)).toBe(before);
    expect(fake.requests).toHaveLength(0);
  });
});

describe("a multipart create the balance cannot pay", () => {
  it("is refused INSUFFICIENT_POINTS with no charge, no task, no stored upload and no upstream call", async () => {
    const user = await createTestUser(app.deps, { points: 3 });
    const before = await taskCount(app.deps);
    const uploads = async () => (await app.deps.db.selectFrom("task_uploads").select("task_id").execute()).length;
    const uploadsBefore = await uploads();
    const res = await postForm(
      "/api/proxy/jimeng/image",
      multipart({ prompt: "把猫画成水彩" }, { bytes: png, name: "cat.png", type: "image/png" }),
      user,
    );
    expect(res.body).toMatchObject({ status: "failed", code: "INSUFFICIENT_POINTS" });
    expect(await pointsOf(app.deps, user.id)).toBe(3);
    expect(await taskCount(app.deps)).toBe(before);
    expect(await uploads()).toBe(uploadsBefore);
    expect(fake.requests).toHaveLength(0);
  });
});

describe("every Jimeng failure ends failed with exactly one refund", () => {
  it.each([
    ["content filtered (-2006)", { json: { code: -2006, message: "内容被过滤" } } as FakeAnswer, upstreamMessages.contentFiltered],
    [
      "insufficient points on our upstream account (-2009)",
      { json: { code: -2009, message: "积分不足" } } as FakeAnswer,
      upstreamMessages.serviceProblem,
    ],
    ["another negative code", { json: { code: -2003, message: "failed" } } as FakeAnswer, upstreamMessages.error],
    ["a hang (no answer within the timeout)", "hang" as FakeAnswer, upstreamMessages.tooLong],
    ["garbage", { text: "<html>oops</html>", contentType: "text/html" } as FakeAnswer, upstreamMessages.unreadable],
    ["a 500", { status: 500, text: "" } as FakeAnswer, upstreamMessages.busy],
    ["our key refused (401)", { status: 401, json: {} } as FakeAnswer, upstreamMessages.serviceProblem],
    ["a javascript: result URL (untrusted)", result("javascript:alert(document.cookie)"), upstreamMessages.unreadable],
    ["a result URL with a NUL", result("https://cdn.example.com/a\u0000.png"), upstreamMessages.unreadable],
  ])("%s", async (_name, answer, msg) => {
    fake.on("/v1/images/generations", () => answer);
    const user = await createTestUser(app.deps, { points: 4 });
    const res = await app.post("/api/proxy/jimeng/image", { prompt: "猫" }, user.headers);
    expect(await pollUntilFinal(app, user.headers, res.body.data.id)).toEqual({
      status: "failed",
      progress: 0,
      msg,
      code: msg === upstreamMessages.contentFiltered ? "CONTENT_MODERATED" : "UPSTREAM_FAILED",
    });
    expect(await ledgerOfTask(app.deps, res.body.data.id)).toEqual({ consume: [-4], refund: [4] });
    expect(await pointsOf(app.deps, user.id)).toBe(4);
    expect(JSON.stringify(await taskByPublicId(app.deps, res.body.data.id))).not.toContain(jimengKey);
  });
});

describe("a restart in the middle of a Jimeng call", () => {
  it("fails and refunds the task once its lease lapses, with a message that says so; the late answer changes nothing", async () => {
    let release: (answer: FakeAnswer) => void = () => undefined;
    fake.on("/v1/images/compositions", () => new Promise<FakeAnswer>((resolve) => (release = resolve)));
    const user = await createTestUser(app.deps, { points: 4 });
    const res = await postForm(
      "/api/proxy/jimeng/image",
      multipart({ prompt: "猫" }, { bytes: png, name: "a.png", type: "image/png" }),
      user,
    );
    const task = await taskByPublicId(app.deps, res.body.data.id);
    while (fake.to("/v1/images/compositions").length === 0) await new Promise((resolve) => setTimeout(resolve, 20));

    const { generation: _generation, ...core } = app.deps;
    const survivor = { ...core, generation: createGeneration(core, { tuning }) };
    expect(await reconcileDue(survivor)).toEqual({ claimed: 0 }); // the running instance renews its lease
    app.deps.generation.leases.stop(); // the instance dies: its renewals stop
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(await reconcileDue(survivor)).toEqual({ claimed: 1 });

    expect(await pollUntilFinal(app, user.headers, res.body.data.id)).toEqual({
      status: "failed",
      progress: 0,
      msg: upstreamMessages.restarted,
      code: "UPSTREAM_FAILED",
    });
    expect(await app.deps.db.selectFrom("task_uploads").selectAll().where("task_id", "=", task.id).execute()).toEqual([]);
    release(result("https://cdn.example.com/late.png"));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await taskByPublicId(app.deps, task.public_id)).status).toBe("failed");
    expect(await ledgerOfTask(app.deps, task.public_id)).toEqual({ consume: [-4], refund: [4] });
  });
});

describe("ledger", () => {
  it("is clean after everything", async () => {
    expect(await checkLedger(app.deps.db)).toMatchObject({ ok: true, offenders: [] });
  });
});
