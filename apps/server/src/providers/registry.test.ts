import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { withDeadline } from "../lib/http-post.js";
import { startTestApp, type TestApp } from "../test/app.js";
import { startFakeUpstream, type FakeUpstream } from "../test/fake-upstream.js";
import { createTestUser, pointsOf } from "../test/fixtures.js";
import { bananaRequest, fastTuning, soraOptions, soraRequest } from "../test/generation.js";
import { ledgerOfTask, taskByPublicId } from "../test/tasks.js";
import { checkLedger } from "../modules/points/ledger-check.js";
import type { ProviderEndpoint } from "./endpoints.js";
import { outcomeOfRefusal, postUpstream, upstreamMessages, type UpstreamOutcome } from "./outcome.js";
import { taskProviders } from "./registry.js";
import type { AsyncTaskProvider, SyncTaskProvider } from "./provider.js";

/*
 * A provider added by the registry alone: two made-up providers ("acme" videos, polled; "pixel"
 * images, one synchronous call) written as a provider's folder would be, put first in the list the
 * app is built with, each with an endpoint of its own. Nothing else of the app knows them: the
 * operations, the charge, the held answer, the reconciler and the refund must all follow.
 */
async function acmeCall(endpoint: ProviderEndpoint, path: string, body: unknown, timeoutMs: number): Promise<UpstreamOutcome> {
  return withDeadline(timeoutMs, async (signal) => {
    const res = await postUpstream(endpoint, path, JSON.stringify(body), signal);
    const byStatus = await outcomeOfRefusal(res);
    if (byStatus) return byStatus;
    const answer = JSON.parse(await res.text(10_000)) as { job?: string; state?: string; video?: string; reason?: string };
    if (answer.state === "done" && answer.video) return { kind: "succeeded", urls: [answer.video] };
    if (answer.state === "error") return { kind: "failed", message: upstreamMessages.error, detail: answer.reason ?? "error" };
    if (answer.job) return { kind: "accepted", upstreamId: answer.job };
    return { kind: "running", progress: 50 };
  });
}

const acme: AsyncTaskProvider = {
  name: "acme",
  kinds: ["sora"],
  mode: "async",
  notConfiguredMessage: "acme not configured",
  accountHint: "check the acme key",
  submit: (endpoint, job, timeouts) =>
    acmeCall(endpoint, "/jobs", { text: job.payload.prompt, seconds: job.payload.duration }, timeouts.submitMs),
  poll: (endpoint, upstreamId, timeouts) => acmeCall(endpoint, "/jobs/state", { job: upstreamId }, timeouts.pollMs),
};

const pixel: SyncTaskProvider = {
  name: "pixel",
  kinds: ["banana"],
  mode: "sync",
  notConfiguredMessage: "pixel not configured",
  accountHint: "check the pixel key",
  run: (endpoint, job, timeouts) => acmeCall(endpoint, "/draw", { text: job.payload.prompt }, timeouts.syncMs),
};

let acmeFake: FakeUpstream;
let pixelFake: FakeUpstream;
let app: TestApp;
beforeAll(async () => {
  acmeFake = await startFakeUpstream();
  pixelFake = await startFakeUpstream();
  // No GrsAI configured at all: only the added providers can take sora and banana tasks.
  app = await startTestApp(
    { SORA_WAIT_SECONDS: "5", BANANA_WAIT_SECONDS: "5" },
    {
      tuning: fastTuning,
      taskProviders: [acme, pixel, ...taskProviders],
      endpoints: { acme: { baseUrl: acmeFake.url, apiKey: "acme-key" }, pixel: { baseUrl: pixelFake.url, apiKey: "pixel-key" } },
    },
  );
});
afterAll(async () => {
  await app.close();
  await acmeFake.close();
  await pixelFake.close();
});
beforeEach(() => {
  acmeFake.requests.length = 0;
  pixelFake.requests.length = 0;
});

describe("a task provider added to the registry alone", () => {
  it("takes a polled kind: submitted with its key, polled where it was accepted, charged once, answered held", async () => {
    acmeFake.on("/jobs", () => ({ json: { job: "acme-1" } }));
    let polls = 0;
    acmeFake.on("/jobs/state", () => ({
      json: ++polls < 3 ? { state: "working" } : { state: "done", video: "https://acme.example/v.mp4" },
    }));
    const user = await createTestUser(app.deps, { points: 100 });

    const res = await app.post("/api/proxy/sora", soraRequest, user.headers);

    expect(res.body).toEqual({
      status: "success",
      data: {
        id: expect.any(String),
        status: "completed",
        progress: 100,
        result_url: "https://acme.example/v.mp4",
        result_urls: ["https://acme.example/v.mp4"],
        options: soraOptions,
      },
    });
    const [submit] = acmeFake.to("/jobs");
    expect(submit?.headers.authorization).toBe("Bearer acme-key");
    expect(submit?.json).toEqual({ text: soraRequest.prompt, seconds: 10 });
    expect(acmeFake.to("/jobs/state").map((r) => r.json)).toEqual([{ job: "acme-1" }, { job: "acme-1" }, { job: "acme-1" }]);
    const task = await taskByPublicId(app.deps, res.body.data.id);
    expect(task).toMatchObject({ provider: "acme", endpoint: "acme", upstream_id: "acme-1", status: "completed" });
    expect(await pointsOf(app.deps, user.id)).toBe(80);
    expect(await ledgerOfTask(app.deps, task.public_id)).toEqual({ consume: [-20], refund: [] });
  });

  it("takes a synchronous kind: one call in the background, a failure refunded once", async () => {
    pixelFake.on("/draw", () => ({ json: { state: "error", reason: "pixel is out of ink" } }));
    const user = await createTestUser(app.deps, { points: 100 });

    const res = await app.post("/api/proxy/banana", bananaRequest, user.headers);

    expect(res.body).toMatchObject({ status: "failed", code: "UPSTREAM_FAILED", msg: upstreamMessages.error });
    expect(pixelFake.to("/draw")).toHaveLength(1);
    expect(pixelFake.to("/draw")[0]?.headers.authorization).toBe("Bearer pixel-key");
    const [task] = await app.deps.db.selectFrom("tasks").selectAll().where("user_id", "=", user.id).execute();
    expect(task).toMatchObject({ provider: "pixel", endpoint: "pixel", status: "failed", failure_detail: "pixel is out of ink" });
    expect(await pointsOf(app.deps, user.id)).toBe(100);
    expect(await ledgerOfTask(app.deps, task?.public_id ?? "")).toEqual({ consume: [-4], refund: [4] });
    expect((await checkLedger(app.deps.db)).ok).toBe(true);
  });

  it("leaves the kinds it does not make to the registry's own providers (not configured here)", async () => {
    const user = await createTestUser(app.deps, { points: 100 });
    const res = await app.post("/api/proxy/jimeng/image", { prompt: "a cat" }, user.headers);
    expect(res.body).toMatchObject({ status: "failed", code: "PROVIDER_NOT_CONFIGURED" });
    expect(res.body.msg).toContain("Jimeng");
    expect(await pointsOf(app.deps, user.id)).toBe(100);
  });
});
