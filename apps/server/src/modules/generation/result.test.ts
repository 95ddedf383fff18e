import { operations } from "@ocean1/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "../../openapi.js";
import { appRouter } from "../../router.js";
import { startTestApp, type TestApp } from "../../test/app.js";
import { startFakeUpstream, type FakeUpstream } from "../../test/fake-upstream.js";
import { createTestUser, type TestUser } from "../../test/fixtures.js";
import { accepted, bananaRequest, fastTuning, grsaiEnv, running } from "../../test/generation.js";

let fake: FakeUpstream;
let app: TestApp;
let owner: TestUser;
let stranger: TestUser;
let ownIds: string[];

beforeAll(async () => {
  fake = await startFakeUpstream();
  app = await startTestApp(grsaiEnv(fake, { BANANA_WAIT_SECONDS: "1" }), {
    tuning: { ...fastTuning, refreshMinMs: 2_000, pollIntervalMs: 2_000 },
  });
  let n = 0;
  fake.on("/v1/draw/nano-banana", () => accepted(`up-${++n}`));
  fake.on("/v1/draw/result", (request) => running((request.json as { id: string }).id, 20));
  owner = await createTestUser(app.deps, { points: 100 });
  stranger = await createTestUser(app.deps, { points: 100 });
  ownIds = [];
  for (let i = 0; i < 5; i++) ownIds.push((await app.post("/api/proxy/banana", bananaRequest, owner.headers)).body.data.id);
});
afterAll(async () => {
  await app.close();
  await fake.close();
});

describe("POST /api/proxy/v1/draw/result", () => {
  it("answers the owner's task in the documented shape", async () => {
    const res = await app.post("/api/proxy/v1/draw/result", { id: ownIds[0] }, owner.headers);
    expect(res.body).toEqual({ status: "success", data: { status: "processing", progress: 20 } });
  });

  it("answers another user's task exactly as an id that does not exist", async () => {
    const theirs = await app.post("/api/proxy/v1/draw/result", { id: ownIds[0] }, stranger.headers);
    const missing = await app.post("/api/proxy/v1/draw/result", { id: "no-such-task" }, stranger.headers);
    expect(theirs.body).toEqual({ status: "failed", code: "TASK_NOT_FOUND", msg: "任务不存在" });
    expect(missing.body).toEqual(theirs.body);
  });

  it.each(["a\u0000b", `${"A".repeat(21)}\u0000`, "A".repeat(65), "AAAAAAAAAA/AAAAAAAAAAA", "a b", "猫猫"])(
    "refuses the malformed id %j as VALIDATION, over REST and tRPC",
    async (id) => {
      const rest = await app.post("/api/proxy/v1/draw/result", { id }, owner.headers);
      expect(rest).toEqual({ status: 200, body: { status: "failed", code: "VALIDATION", field: "id", msg: "任务编号格式不正确" } });
      const trpc = await app.post("/trpc/queryResult", { id }, owner.headers);
      expect(trpc.status).toBe(400);
      expect(trpc.body.error.data.failure).toMatchObject({ code: "VALIDATION", msg: "任务编号格式不正确" });
    },
  );

  it("refreshes a running task from upstream at most once per interval, however often it is polled", async () => {
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const before = fake.to("/v1/draw/result").length;
    await Promise.all(Array.from({ length: 20 }, () => app.post("/api/proxy/v1/draw/result", { id: ownIds[1] }, owner.headers)));
    await Promise.all(Array.from({ length: 20 }, () => app.post("/api/proxy/v1/draw/result", { id: ownIds[1] }, owner.headers)));
    expect(fake.to("/v1/draw/result").length - before).toBe(1);
  });
});

describe("GET /api/user/tasks", () => {
  it("lists the caller's tasks, newest first, with kind, model, status, progress, cost and creation time", async () => {
    const res = await app.get("/api/user/tasks", owner.headers);
    expect(res.body.status).toBe("success");
    expect(res.body.data.map((t: { id: string }) => t.id)).toEqual([...ownIds].reverse());
    expect(res.body.data[0]).toEqual({
      id: ownIds[4],
      kind: "banana",
      model: "banana-v1",
      status: "processing",
      progress: expect.any(Number),
      options: { imageSize: "1K", aspectRatio: "1:1" },
      cost: 4,
      created_at: expect.stringMatching(/Z$/),
    });
    expect((await app.get("/api/user/tasks", stranger.headers)).body).toEqual({ status: "success", data: [] });
  });

  it("pages with limit and before", async () => {
    const first = await app.get("/api/user/tasks?limit=2", owner.headers);
    expect(first.body.data.map((t: { id: string }) => t.id)).toEqual([ownIds[4], ownIds[3]]);
    const next = await app.get(`/api/user/tasks?limit=2&before=${first.body.data[1].id}`, owner.headers);
    expect(next.body.data.map((t: { id: string }) => t.id)).toEqual([ownIds[2], ownIds[1]]);
  });

  it("refuses a limit above 200 and another user's task as a page mark", async () => {
    expect((await app.get("/api/user/tasks?limit=201", owner.headers)).body).toMatchObject({ status: "failed", code: "VALIDATION" });
    expect((await app.get(`/api/user/tasks?before=${ownIds[2]}`, stranger.headers)).body).toMatchObject({
      status: "failed",
      code: "TASK_NOT_FOUND",
    });
  });

  it.each(["201", "0", "99999999999999999999"])("refuses limit=%s with the history's sentence", async (limit) => {
    const expected = { status: "failed", code: "VALIDATION", field: "limit", msg: "条数需为 1–200" };
    expect((await app.get(`/api/user/tasks?limit=${limit}`, owner.headers)).body).toEqual(expected);
    expect((await app.get(`/api/user/history?limit=${limit}`, owner.headers)).body).toEqual(expected);
  });

  it("answers an unknown or another user's page mark with one sentence for people", async () => {
    const expected = { status: "failed", code: "TASK_NOT_FOUND", msg: "翻页起点的任务不存在，请从第一页重新加载" };
    expect((await app.get(`/api/user/tasks?before=${ownIds[2]}`, stranger.headers)).body).toEqual(expected);
    expect((await app.get("/api/user/tasks?before=AAAAAAAAAAAAAAAAAAAAAA", owner.headers)).body).toEqual(expected);
  });

  it("refuses a malformed page mark (a NUL) as VALIDATION", async () => {
    expect((await app.get("/api/user/tasks?before=a%00b", owner.headers)).body).toEqual({
      status: "failed",
      code: "VALIDATION",
      field: "before",
      msg: "任务编号格式不正确",
    });
  });

  it("needs a session", async () => {
    expect((await app.get("/api/user/tasks")).body).toMatchObject({ status: "failed", code: "UNAUTHENTICATED" });
  });
});

describe("the OpenAPI document", () => {
  const document = buildOpenApiDocument(appRouter, "test");
  it.each(["soraCreate", "bananaCreate", "queryResult", "listTasks"] as const)("lists %s", (name) => {
    const op = operations[name];
    expect((document.paths?.[op.path] as Record<string, { operationId?: string }>)[op.method.toLowerCase()]?.operationId).toBe(name);
  });

  it.each(["/api/proxy/jimeng/image", "/api/proxy/jimeng/create"])(
    "describes %s as JSON or multipart/form-data with a binary image",
    (path) => {
      const post = (
        document.paths?.[path] as Record<
          string,
          { requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, { format?: string }> } }> } }
        >
      ).post;
      expect(Object.keys(post?.requestBody?.content ?? {})).toEqual(["application/json", "multipart/form-data"]);
      expect(post?.requestBody?.content?.["multipart/form-data"]?.schema?.properties?.image?.format).toBe("binary");
    },
  );

  it("describes the held answers: leading whitespace as JSON, or an event stream on request", () => {
    const post = (
      document.paths?.["/api/proxy/sora"] as Record<
        string,
        { description?: string; responses: Record<string, { content: Record<string, unknown> }> }
      >
    ).post;
    expect(post?.description).toMatch(/whitespace/);
    expect(Object.keys(post?.responses["200"]?.content ?? {})).toEqual(["application/json", "text/event-stream"]);
  });
});
