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
    expect(res.body).toEqual({
      status: "failed",
      code: "PROVIDER_NOT_CONFIGURED",
      msg: "视频和图片生成服务暂未开通（未配置 GrsAI），本次未扣除积分",
    });
    expect(await pointsOf(app.deps, user.id)).toBe(50);
    expect(await taskCount(app.deps)).toBe(0);
  });
});

describe("without Jimeng settings (and no simulator)", () => {
  it.each(["/api/proxy/jimeng/create", "/api/proxy/jimeng/image"])("%s fails clearly as not configured, charging nothing", async (path) => {
    const user = await createTestUser(app.deps, { points: 50 });
    const expected = { status: "failed", code: "PROVIDER_NOT_CONFIGURED", msg: "即梦生成服务暂未开通（未配置 Jimeng），本次未扣除积分" };
    expect((await app.post(path, { prompt: "p" }, user.headers)).body).toEqual(expected);
    const form = new FormData();
    form.append("prompt", "p");
    const multipart = await fetch(`${app.url}${path}`, { method: "POST", headers: user.headers, body: form });
    expect(await multipart.json()).toEqual(expected);
    expect(await pointsOf(app.deps, user.id)).toBe(50);
    expect(await taskCount(app.deps)).toBe(0);
  });
});
