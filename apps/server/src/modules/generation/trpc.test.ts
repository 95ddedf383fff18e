import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/app.js";
import { startFakeUpstream, type FakeUpstream } from "../../test/fake-upstream.js";
import { createTestUser } from "../../test/fixtures.js";
import { accepted, fastTuning, grsaiEnv, running, soraOptions, soraRequest, succeeded } from "../../test/generation.js";

let fake: FakeUpstream;
let app: TestApp;
beforeAll(async () => {
  fake = await startFakeUpstream();
  app = await startTestApp(grsaiEnv(fake, { SORA_WAIT_SECONDS: "5", JIMENG_BASE_URL: fake.url, JIMENG_API_KEY: "jimeng-key" }), {
    tuning: fastTuning,
  });
  let polls = 0;
  fake.on("/v1/video/sora-video", () => accepted("up-trpc"));
  fake.on("/v1/draw/result", () => (++polls > 2 ? succeeded("up-trpc", "https://cdn.example.com/trpc.mp4") : running("up-trpc", 30)));
  fake.on("/v1/images/generations", () => ({ json: { created: 1, data: [{ url: "https://cdn.example.com/trpc.png" }] } }));
});
afterAll(async () => {
  await app.close();
  await fake.close();
});

describe("the generation procedures over tRPC (the typed client's path)", () => {
  it("soraCreate holds until the task ends and answers the same document as REST", async () => {
    const user = await createTestUser(app.deps, { points: 20 });
    const res = await app.post("/trpc/soraCreate", soraRequest, user.headers);
    expect(res.body).toEqual({
      result: {
        data: {
          status: "success",
          data: {
            id: expect.any(String),
            status: "completed",
            progress: 100,
            result_url: "https://cdn.example.com/trpc.mp4",
            result_urls: ["https://cdn.example.com/trpc.mp4"],
            options: soraOptions,
          },
        },
      },
    });
  });

  it("jimengImageCreate answers pending at once, and queryResult follows the task", async () => {
    const user = await createTestUser(app.deps, { points: 4 });
    const created = await app.post("/trpc/jimengImageCreate", { prompt: "猫" }, user.headers);
    expect(created.body.result.data).toEqual({ status: "success", data: { id: expect.any(String), status: "pending" } });
    let result: { status?: string } = {};
    for (let i = 0; i < 100 && result.status !== "completed"; i++) {
      result = (await app.post("/trpc/queryResult", { id: created.body.result.data.data.id }, user.headers)).body.result.data.data;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(result).toEqual({
      status: "completed",
      progress: 100,
      result_url: "https://cdn.example.com/trpc.png",
      result_urls: ["https://cdn.example.com/trpc.png"],
    });
  });
});
