/**
 * The GrsAI relay as it really answers, in the cases our simulator did not know (issue 16). The
 * answers are written from GrsAI's own API documents (grsai.com/zh/dashboard/documents/nano-banana
 * and …/sora: `{code, msg, data}`, `webHook:"-1"` answering `{id}`, `/v1/draw/result` answering a
 * progress object whose `status` is `running` / `succeeded` / `failed`) and from public clients of
 * it: those that stop polling on `status:"violation"` (progress 0, the reason in `error`), that read
 * `code:-22` either as "still pending" or as "任务不存在", and that strip a `data: ` prefix from the
 * `webHook:"-1"` answer, which some relays frame as a stream line.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkLedger } from "../../modules/points/ledger-check.js";
import { startTestApp, type TestApp } from "../../test/app.js";
import { startFakeUpstream, type FakeAnswer, type FakeUpstream } from "../../test/fake-upstream.js";
import { createTestUser, pointsOf } from "../../test/fixtures.js";
import { accepted, bananaRequest, fastTuning, grsaiEnv, grsaiKey, running, soraRequest, succeeded } from "../../test/generation.js";
import { captureLog, type CapturedLog } from "../../test/log-capture.js";
import { ledgerOfTask, taskByPublicId } from "../../test/tasks.js";
import { upstreamMessages } from "../outcome.js";

let fake: FakeUpstream;
let app: TestApp;
const log: CapturedLog = captureLog("info");
const tuning = { ...fastTuning, pollFailureWindowMs: 1_500, lostGraceMs: 1_500 };

beforeAll(async () => {
  fake = await startFakeUpstream();
  app = await startTestApp(grsaiEnv(fake, { BANANA_WAIT_SECONDS: "1", SORA_WAIT_SECONDS: "1" }), { tuning, logger: log.logger });
});
afterAll(async () => {
  await app.close();
  await fake.close();
});

/** A relay's moderation verdict: final, with no result and progress 0. */
const violation = (id: string) => ({
  json: {
    code: 0,
    msg: "success",
    data: { id, results: [], progress: 0, status: "violation", failure_reason: "", error: "prompt violates policy" },
  },
});

async function pollUntilFinal(headers: Record<string, string>, id: string) {
  for (let round = 0; round < 400; round++) {
    const { body } = await app.post("/api/proxy/v1/draw/result", { id }, headers);
    if (body.data.status === "completed" || body.data.status === "failed") return body.data;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("task never became final");
}

/** Starts a banana (or sora) task and waits for its end; answers the final result, the task and the user. */
async function runTask(kind: "banana" | "sora" = "banana") {
  const points = 40;
  const user = await createTestUser(app.deps, { points });
  const res = await app.post(`/api/proxy/${kind}`, kind === "banana" ? bananaRequest : soraRequest, user.headers);
  expect(res.status).toBe(200);
  const id: string = res.body.data.id;
  const final =
    res.body.status === "failed" ? { ...res.body.data, msg: res.body.msg, code: res.body.code } : await pollUntilFinal(user.headers, id);
  const task = await taskByPublicId(app.deps, id);
  return { user, id, final, task, points };
}

async function expectRefundedOnce(id: string) {
  const ledger = await ledgerOfTask(app.deps, id);
  expect(ledger.refund).toEqual([-ledger.consume[0]!]);
}

describe("status violation is final", () => {
  it.each(["banana", "sora"] as const)("a %s task ends at once as moderated, refunded once", async (kind) => {
    const path = kind === "banana" ? "/v1/draw/nano-banana" : "/v1/video/sora-video";
    fake.on(path, () => accepted(`v-${kind}`));
    fake.on("/v1/draw/result", () => violation(`v-${kind}`));
    const polls = fake.to("/v1/draw/result").length;
    const { id, final, task, user, points } = await runTask(kind);
    expect(final).toMatchObject({ status: "failed", code: "CONTENT_MODERATED", msg: upstreamMessages.contentFiltered });
    expect(task.failure_detail).toContain("prompt violates policy");
    // One poll said it; nobody polled on for the task's maximum age.
    expect(fake.to("/v1/draw/result").length - polls).toBeLessThanOrEqual(2);
    await expectRefundedOnce(id);
    expect(await pointsOf(app.deps, user.id)).toBe(points);
  });
});

describe("a failed poll is not a failed task", () => {
  const busyAnswers: Array<[string, FakeAnswer]> = [
    ["code -1 system busy", { json: { code: -1, msg: "system busy" } }],
    ["another non-zero code", { json: { code: -3, msg: "服务繁忙" } }],
    ["HTTP 500", { status: 500, text: "internal error" }],
    ["HTTP 502 with an HTML page", { status: 502, text: "<html>502</html>", contentType: "text/html" }],
    ["HTTP 401 while polling", { status: 401, json: { code: 401, msg: "invalid key" } }],
  ];

  it.each(busyAnswers)("%s for a while, then success: completed, nothing refunded", async (_name, busy) => {
    const upstreamId = `busy-${Math.random().toString(36).slice(2)}`;
    fake.on("/v1/draw/nano-banana", () => accepted(upstreamId));
    let polls = 0;
    fake.on("/v1/draw/result", () => (++polls <= 4 ? busy : succeeded(upstreamId, "https://cdn.example.com/busy.png")));
    const { id, final } = await runTask();
    expect(final).toMatchObject({ status: "completed", result_url: "https://cdn.example.com/busy.png" });
    expect(polls).toBeGreaterThan(4);
    expect(await ledgerOfTask(app.deps, id)).toEqual({ consume: [-4], refund: [] });
  });

  it("polls that fail for the whole window fail the task once, as busy, and not before", async () => {
    fake.on("/v1/draw/nano-banana", () => accepted("busy-forever"));
    fake.on("/v1/draw/result", () => ({ json: { code: -1, msg: "system busy" } }));
    const started = Date.now();
    const { id, final, task } = await runTask();
    expect(Date.now() - started).toBeGreaterThanOrEqual(tuning.pollFailureWindowMs);
    expect(final).toMatchObject({ status: "failed", code: "UPSTREAM_FAILED", msg: upstreamMessages.busy });
    expect(task.failure_detail).toMatch(/polls failed for \d+ min; last: poll answered code -1: system busy/);
    await expectRefundedOnce(id);
    // Not an account alarm: that is raised on submit.
    const lines = log.lines().filter((line) => line.task === id);
    expect(lines.some((line) => String(line.msg).includes("account problem"))).toBe(false);
  });

  it("a poll that answers again resets the window", async () => {
    fake.on("/v1/draw/nano-banana", () => accepted("busy-flaky"));
    let polls = 0;
    // Fails, answers, fails... for longer than the window in all, never the window in a row; then succeeds.
    const until = Date.now() + tuning.pollFailureWindowMs * 2;
    fake.on("/v1/draw/result", () => {
      polls++;
      if (Date.now() > until) return succeeded("busy-flaky", "https://cdn.example.com/flaky.png");
      return polls % 2 === 0 ? running("busy-flaky", 30) : { status: 503, text: "" };
    });
    const { final } = await runTask();
    expect(final).toMatchObject({ status: "completed" });
  });
});

describe("code -22 right after the submit", () => {
  it("is pending within the grace period: the task goes on and completes", async () => {
    fake.on("/v1/draw/nano-banana", () => accepted("late-22"));
    let polls = 0;
    fake.on("/v1/draw/result", () =>
      ++polls <= 3 ? { json: { code: -22, msg: "任务不存在" } } : succeeded("late-22", "https://cdn.example.com/late.png"),
    );
    const { id, final } = await runTask();
    expect(final).toMatchObject({ status: "completed" });
    expect(await ledgerOfTask(app.deps, id)).toEqual({ consume: [-4], refund: [] });
  });

  it("is lost after the grace period: failed and refunded once", async () => {
    fake.on("/v1/draw/nano-banana", () => accepted("gone-22"));
    fake.on("/v1/draw/result", () => ({ json: { code: -22, msg: "task not found" } }));
    const started = Date.now();
    const { id, final } = await runTask();
    expect(Date.now() - started).toBeGreaterThanOrEqual(tuning.lostGraceMs);
    expect(final).toMatchObject({ status: "failed", msg: upstreamMessages.lost });
    await expectRefundedOnce(id);
  });
});

describe("no blind resubmit", () => {
  it.each([
    ["HTTP 500", { status: 500, json: { code: 500, msg: "internal error" } }],
    ["HTTP 502", { status: 502, text: "bad gateway" }],
    ["HTTP 504", { status: 504, text: "gateway timeout" }],
  ] as Array<[string, FakeAnswer]>)(
    "a submit answered %s is sent once, failed and refunded, and told to the operator",
    async (_name, answer) => {
      const before = fake.to("/v1/draw/nano-banana").length;
      fake.on("/v1/draw/nano-banana", () => answer);
      const { id, final, task } = await runTask();
      expect(fake.to("/v1/draw/nano-banana").length - before).toBe(1);
      expect(final).toMatchObject({ status: "failed", msg: upstreamMessages.busy });
      expect(task.upstream_calls).toBe(1);
      await expectRefundedOnce(id);
      expect(log.lines()).toContainEqual(
        expect.objectContaining({ task: id, level: "warn", msg: expect.stringContaining("submit may have reached the upstream") }),
      );
    },
  );

  it.each([
    ["429", { status: 429, json: { code: 429, msg: "too many requests" } }],
    ["503", { status: 503, text: "service unavailable" }],
  ] as Array<[string, FakeAnswer]>)("a submit answered %s (nothing created) is retried", async (_name, answer) => {
    const before = fake.to("/v1/draw/nano-banana").length;
    let submits = 0;
    fake.on("/v1/draw/nano-banana", () => (++submits === 1 ? answer : accepted("retried")));
    fake.on("/v1/draw/result", () => succeeded("retried", "https://cdn.example.com/retried.png"));
    const { final } = await runTask();
    expect(final).toMatchObject({ status: "completed" });
    expect(fake.to("/v1/draw/nano-banana").length - before).toBe(2);
  });

  it("a submit that never connects (connection refused) is retried, then failed and refunded", async () => {
    // A port that was just freed: nothing listens there.
    const closed: Server = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await startTestApp(grsaiEnv({ url: `http://127.0.0.1:${port}` }), { tuning });
    try {
      const user = await createTestUser(refused.deps, { points: 4 });
      const res = await refused.post("/api/proxy/banana", bananaRequest, user.headers);
      expect(res.body).toMatchObject({ status: "failed", msg: upstreamMessages.busy });
      const task = await taskByPublicId(refused.deps, res.body.data.id);
      expect(task.upstream_calls).toBe(1 + (tuning.submitRetryDelaysMs?.length ?? 0));
      expect(task.failure_detail).toContain("ECONNREFUSED");
      expect(await pointsOf(refused.deps, user.id)).toBe(4);
    } finally {
      await refused.close();
    }
  });
});

describe("an answer framed as a stream line in webHook -1 mode", () => {
  it("`data: {json}` at submit is the task's id: followed and completed", async () => {
    fake.on("/v1/draw/nano-banana", () => ({
      text: `data: ${JSON.stringify({ code: 0, msg: "success", data: { id: "framed" } })}\n\n`,
      contentType: "application/json",
    }));
    fake.on("/v1/draw/result", () => succeeded("framed", "https://cdn.example.com/framed.png"));
    const { id, final } = await runTask();
    expect(final).toMatchObject({ status: "completed", result_url: "https://cdn.example.com/framed.png" });
    expect(await ledgerOfTask(app.deps, id)).toEqual({ consume: [-4], refund: [] });
  });

  it("`data:` lines of progress at a poll are read for the latest state", async () => {
    fake.on("/v1/draw/nano-banana", () => accepted("framed-poll"));
    const line = (answer: { json: unknown }) => `data: ${JSON.stringify(answer.json)}\n\n`;
    fake.on("/v1/draw/result", () => ({
      text: line(running("framed-poll", 40)) + line(succeeded("framed-poll", "https://cdn.example.com/fp.png")) + "data: [DONE]\n\n",
      contentType: "text/plain",
    }));
    const { final } = await runTask();
    expect(final).toMatchObject({ status: "completed", result_url: "https://cdn.example.com/fp.png" });
  });
});

describe("a relay that echoes our key", () => {
  it("never stores or logs it: the detail has it redacted", async () => {
    fake.on("/v1/draw/nano-banana", () => ({ json: { code: -1, msg: `apikey ${grsaiKey} has insufficient credits`, data: null } }));
    const { id, final, task } = await runTask();
    expect(final).toMatchObject({ status: "failed", msg: upstreamMessages.serviceProblem });
    expect(task.failure_detail).toContain("[redacted]");
    expect(task.failure_detail).not.toContain(grsaiKey);
    expect(JSON.stringify(log.lines())).not.toContain(grsaiKey);
    await expectRefundedOnce(id);
  });
});

describe("a relay that echoes some other key", () => {
  it("takes out anything shaped like a key: Bearer …, sk-…", async () => {
    fake.on("/v1/draw/nano-banana", () => ({
      json: { code: -1, msg: "invalid api key: Bearer sk-old-rotated-key-9876543210", data: null },
    }));
    const { id, task } = await runTask();
    expect(task.failure_detail).toContain("Bearer [redacted]");
    expect(task.failure_detail).not.toContain("sk-old-rotated");
    expect(JSON.stringify(log.lines())).not.toContain("sk-old-rotated");
    await expectRefundedOnce(id);
  });
});

describe("result URLs from the relay are untrusted", () => {
  it.each([
    ["a javascript: URL", "javascript:alert(document.cookie)"],
    ["a data: URL", "data:text/html,<script>alert(1)</script>"],
    ["a URL with a NUL", "https://cdn.example.com/a\u0000.png"],
    ["a URL of 3,000 characters", `https://cdn.example.com/${"a".repeat(3_000)}.png`],
  ])("%s fails the task at once, refunded once, with an operator line", async (_name, url) => {
    fake.on("/v1/draw/nano-banana", () => accepted("up-untrusted"));
    fake.on("/v1/draw/result", () => succeeded("up-untrusted", url));
    const { id, final, task } = await runTask();
    expect(final).toMatchObject({ status: "failed", msg: upstreamMessages.unreadable });
    expect(task.result_url).toBeNull();
    expect(task.failure_detail).toMatch(/^result url refused/);
    await expectRefundedOnce(id);
    expect(log.lines()).toContainEqual(
      expect.objectContaining({ task: id, level: "error", msg: expect.stringContaining("refuse to pass on") }),
    );
  });

  it("a task id with a NUL at submit fails cleanly, refunded, never INTERNAL", async () => {
    fake.on("/v1/draw/nano-banana", () => accepted("up\u0000nul"));
    const { id, final } = await runTask();
    expect(final).toMatchObject({ status: "failed", msg: upstreamMessages.unreadable, code: "UPSTREAM_FAILED" });
    await expectRefundedOnce(id);
  });
});

describe("after every case", () => {
  it("the ledger is consistent", async () => {
    expect(await checkLedger(app.deps.db)).toMatchObject({ ok: true });
  });
});
