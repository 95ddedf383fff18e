import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/app.js";
import { createTestUser, pointsOf } from "../../test/fixtures.js";
import { bananaRequest, soraRequest } from "../../test/generation.js";
import { taskCount } from "../../test/tasks.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe("without GrsAI settings (and no simulator)", () => {
  it.each([
    ["/api/proxy/sora", soraRequest],
    ["/api/proxy/banana", bananaRequest],
  ])("%s fails clearly as not configured, charging nothing", async (path, body) => {
    const user = await createTestUser(app.deps, { points: 50 });
    const res = await app.post(path, body, user.headers);
    expect(res.body).toEqual({ status: "failed", code: "PROVIDER_NOT_CONFIGURED", msg: "视频和图片生成服务暂未开通（未配置 GrsAI），本次未扣除积分" });
    expect(await pointsOf(app.deps, user.id)).toBe(50);
    expect(await taskCount(app.deps)).toBe(0);
  });
});

describe("operations not built yet", () => {
  it.each(["/api/proxy/jimeng/create", "/api/proxy/jimeng/image"])("%s answers as an unknown path", async (path) => {
    const user = await createTestUser(app.deps, { points: 50 });
    const res = await app.post(path, { prompt: "p", messages: [{ role: "user", content: "hi" }] }, user.headers);
    expect(res.body).toEqual({ status: "failed", code: "NOT_FOUND", msg: "接口不存在" });
    expect(res).toEqual(await app.post("/api/proxy/no-such-operation", {}, user.headers));
  });
});
