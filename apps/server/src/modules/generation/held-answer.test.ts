import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/app.js";
import { startFakeUpstream, type FakeUpstream } from "../../test/fake-upstream.js";
import { createTestUser, pointsOf, type TestUser } from "../../test/fixtures.js";
import { accepted, failedWith, fastTuning, grsaiEnv, running, soraOptions, soraRequest, succeeded } from "../../test/generation.js";
import { ledgerOfTask, pollUntilFinal, taskByPublicId } from "../../test/tasks.js";
import { upstreamMessages } from "../../providers/outcome.js";

let fake: FakeUpstream;
let app: TestApp;
/** While false, the upstream task runs; once true, it has succeeded. */
let done = false;

beforeAll(async () => {
  fake = await startFakeUpstream();
  app = await startTestApp(grsaiEnv(fake, { SORA_WAIT_SECONDS: "2" }), { tuning: fastTuning });
});
afterAll(async () => {
  await app.close();
  await fake.close();
});
beforeEach(() => {
  done = false;
  fake.on("/v1/video/sora-video", () => accepted("up-held"));
  fake.on("/v1/draw/result", () => (done ? succeeded("up-held", "https://cdn.example.com/held.mp4") : running("up-held", 40)));
});

interface Chunk {
  at: number;
  text: string;
}

/** POSTs and records every chunk of the answer as it arrives. */
async function postStreaming(target: TestApp, path: string, body: unknown, headers: Record<string, string>, signal?: AbortSignal) {
  const started = Date.now();
  const res = await fetch(`${target.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
    signal,
  });
  const chunks: Chunk[] = [];
  const decoder = new TextDecoder();
  for await (const chunk of res.body ?? [])
    chunks.push({ at: Date.now() - started, text: decoder.decode(chunk as Uint8Array, { stream: true }) });
  return { res, chunks, text: chunks.map((c) => c.text).join("") };
}

describe("a held sora request", () => {
  it("writes whitespace while the task runs, then one JSON document that JSON.parse reads", async () => {
    const user = await createTestUser(app.deps, { points: 20 });
    setTimeout(() => (done = true), 1_200);
    const { res, chunks, text } = await postStreaming(app, "/api/proxy/sora", soraRequest, user.headers);

    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const leading = text.slice(0, text.indexOf("{"));
    expect(leading.length).toBeGreaterThanOrEqual(2);
    expect(leading).toMatch(/^ +$/);
    // The first keep-alive byte arrived well before the answer.
    expect(chunks[0]?.text).toBe(" ");
    expect(chunks.at(-1)!.at - chunks[0]!.at).toBeGreaterThan(500);
    expect(JSON.parse(text)).toEqual({
      status: "success",
      data: {
        id: expect.any(String),
        status: "completed",
        progress: 100,
        result_url: "https://cdn.example.com/held.mp4",
        result_urls: ["https://cdn.example.com/held.mp4"],
        options: soraOptions,
      },
    });
  });

  it("answers the running task when the configured wait passes, and the task goes on", async () => {
    const user = await createTestUser(app.deps, { points: 20 });
    const started = Date.now();
    const res = await app.post("/api/proxy/sora", soraRequest, user.headers);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(res.body).toEqual({
      status: "success",
      data: { id: expect.any(String), status: "processing", progress: 40, options: soraOptions },
    });
    done = true;
    expect(await pollUntilFinal(app, user.headers, res.body.data.id)).toEqual({
      status: "completed",
      progress: 100,
      result_url: "https://cdn.example.com/held.mp4",
      result_urls: ["https://cdn.example.com/held.mp4"],
    });
  });

  it("with Accept: text/event-stream, sends progress events and one done event", async () => {
    const user = await createTestUser(app.deps, { points: 20 });
    let polls = 0;
    fake.on("/v1/draw/result", () =>
      ++polls >= 4 ? succeeded("up-held", "https://cdn.example.com/held.mp4") : running("up-held", polls * 20),
    );
    const { res, text } = await postStreaming(app, "/api/proxy/sora", soraRequest, { ...user.headers, Accept: "text/event-stream" });

    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = text
      .split("\n\n")
      .filter((block) => block.startsWith("event:"))
      .map((block) => ({ name: /^event: (\w+)/.exec(block)?.[1], data: JSON.parse(/\ndata: (.*)$/.exec(block)?.[1] ?? "null") }));
    const progress = events.filter((e) => e.name === "progress").map((e) => e.data);
    expect(progress[0]).toMatchObject({ id: expect.any(String), status: "processing" });
    expect(progress.map((p) => p.progress)).toEqual([...progress.map((p) => p.progress)].sort((a, b) => a - b));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(events.at(-1)).toEqual({
      name: "done",
      data: {
        status: "success",
        data: {
          id: progress[0].id,
          status: "completed",
          progress: 100,
          result_url: "https://cdn.example.com/held.mp4",
          result_urls: ["https://cdn.example.com/held.mp4"],
          options: soraOptions,
        },
      },
    });
  });

  it.each([
    ["output_moderation", "CONTENT_MODERATED", upstreamMessages.outputModeration],
    ["error", "UPSTREAM_FAILED", upstreamMessages.error],
  ])("a task that fails with %s ends the held answer with code %s, as JSON and as the done event", async (reason, code, msg) => {
    const user = await createTestUser(app.deps, { points: 40 });
    let polls = 0;
    fake.on("/v1/draw/result", () => (++polls >= 3 ? failedWith("up-held", reason) : running("up-held", 30)));
    const json = await postStreaming(app, "/api/proxy/sora", soraRequest, user.headers);
    expect(JSON.parse(json.text)).toEqual({ status: "failed", msg, code, data: { id: expect.any(String), status: "failed" } });
    polls = 0;
    const stream = await postStreaming(app, "/api/proxy/sora", soraRequest, { ...user.headers, Accept: "text/event-stream" });
    const doneEvent = /event: done\ndata: (.*)\n/.exec(stream.text)?.[1] ?? "null";
    expect(JSON.parse(doneEvent)).toEqual({ status: "failed", msg, code, data: { id: expect.any(String), status: "failed" } });
    expect(await pollUntilFinal(app, user.headers, (JSON.parse(json.text) as { data: { id: string } }).data.id)).toEqual({
      status: "failed",
      progress: 30,
      msg,
      code,
    });
  });

  it("a client that goes away loses nothing: the task completes and is charged once", async () => {
    const user = await createTestUser(app.deps, { points: 20 });
    const controller = new AbortController();
    const pending = postStreaming(app, "/api/proxy/sora", soraRequest, user.headers, controller.signal).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 300));
    controller.abort();
    expect(await pending).toBeInstanceOf(Error);
    done = true;
    const listed = await app.get("/api/user/tasks", user.headers);
    const [task] = listed.body.data;
    expect(task).toMatchObject({ kind: "sora", model: "sora-2", cost: 20 });
    expect(await pollUntilFinal(app, user.headers, task.id)).toMatchObject({ status: "completed" });
    expect(await ledgerOfTask(app.deps, task.id)).toEqual({ consume: [-20], refund: [] });
    expect(await pointsOf(app.deps, user.id)).toBe(0);
  });
});

describe("shutdown (SIGTERM)", () => {
  it("answers every held request at once with its task's state; the tasks go on", async () => {
    const own = await startTestApp(grsaiEnv(fake, { SORA_WAIT_SECONDS: "500" }), { tuning: fastTuning });
    try {
      const users: TestUser[] = await Promise.all([1, 2, 3].map(() => createTestUser(own.deps, { points: 20 })));
      const held = users.map((user) => postStreaming(own, "/api/proxy/sora", soraRequest, user.headers));
      await new Promise((resolve) => setTimeout(resolve, 500));
      const stoppedAt = Date.now();
      await own.deps.generation.shutdown();
      const answers = await Promise.all(held);
      expect(Date.now() - stoppedAt).toBeLessThan(500);
      for (const { text } of answers) {
        const body = JSON.parse(text);
        expect(body).toEqual({
          status: "success",
          data: { id: expect.any(String), status: "processing", progress: 40, options: soraOptions },
        });
        const task = await taskByPublicId(own.deps, body.data.id);
        expect(task.status).toBe("processing");
        expect(task.refund_ledger_id).toBeNull();
      }
    } finally {
      await own.close();
    }
  });
});
