import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/app.js";
import { startFakeUpstream, type FakeAnswer, type FakeUpstream } from "../../test/fake-upstream.js";
import { createTestUser, pointsOf } from "../../test/fixtures.js";
import { accepted, bananaRequest, failedWith, fastTuning, grsaiEnv, grsaiKey, running, succeeded } from "../../test/generation.js";
import { captureLog, type CapturedLog } from "../../test/log-capture.js";
import { ledgerOfTask, taskByPublicId } from "../../test/tasks.js";
import { checkLedger } from "../../modules/points/ledger-check.js";
import { upstreamMessages } from "../outcome.js";

let fake: FakeUpstream;
let app: TestApp;
const log: CapturedLog = captureLog("info");
beforeAll(async () => {
  fake = await startFakeUpstream();
  // The create call answers after 1 s with the task still running: the outcome then arrives through polling.
  app = await startTestApp(grsaiEnv(fake, { BANANA_WAIT_SECONDS: "1" }), { tuning: fastTuning, logger: log.logger });
});
afterAll(async () => {
  await app.close();
  await fake.close();
});

const garbage: FakeAnswer = { text: "<html>502 Bad Gateway</html>", contentType: "text/html" };

/** Answers from a list in turn, then the last one forever. */
function inTurn(...answers: FakeAnswer[]) {
  let i = 0;
  return () => answers[Math.min(i++, answers.length - 1)] ?? garbage;
}

/** Polls 20 at a time until the task is final; answers the final results seen. */
async function pollUntilFinal(user: { headers: Record<string, string> }, id: string) {
  for (let round = 0; round < 100; round++) {
    const answers = await Promise.all(Array.from({ length: 20 }, () => app.post("/api/proxy/v1/draw/result", { id }, user.headers)));
    const final = answers.map((a) => a.body.data).filter((d) => d.status === "completed" || d.status === "failed");
    if (final.length > 0) {
      // Every later poll answers the same final state.
      const again = await Promise.all(Array.from({ length: 20 }, () => app.post("/api/proxy/v1/draw/result", { id }, user.headers)));
      return [...final, ...again.map((a) => a.body.data)];
    }
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  throw new Error("task never became final");
}

interface Scenario {
  submit: () => FakeAnswer;
  /** Result answers once the create call has returned. */
  result: () => FakeAnswer;
  status: "completed" | "failed";
  msg?: string;
  /** The failed task's code, when not UPSTREAM_FAILED. */
  code?: string;
}

const cases: Array<[string, Scenario]> = [
  [
    "upstream failure (error)",
    { submit: () => accepted("u1"), result: () => failedWith("u1", "error", "internal"), status: "failed", msg: upstreamMessages.error },
  ],
  [
    "output moderation",
    {
      submit: () => accepted("u2"),
      result: () => failedWith("u2", "output_moderation"),
      status: "failed",
      msg: upstreamMessages.outputModeration,
      code: "CONTENT_MODERATED",
    },
  ],
  [
    "input moderation",
    {
      submit: () => accepted("u3"),
      result: () => failedWith("u3", "input_moderation"),
      status: "failed",
      msg: upstreamMessages.inputModeration,
      code: "CONTENT_MODERATED",
    },
  ],
  [
    "code -1 (our upstream account has no credits) at submit",
    {
      submit: () => ({ json: { code: -1, msg: "insufficient credits" } }),
      result: () => garbage,
      status: "failed",
      msg: upstreamMessages.serviceProblem,
    },
  ],
  [
    // A failed poll says nothing about the task: it fails once polls have failed for pollFailureWindowMs (1 s here).
    "code -1 at every poll",
    {
      submit: () => accepted("u5"),
      result: () => ({ json: { code: -1, msg: "system busy" } }),
      status: "failed",
      msg: upstreamMessages.busy,
    },
  ],
  [
    "code -22 (the relay does not know the task) while polling",
    {
      submit: () => accepted("u5b"),
      result: () => ({ json: { code: -22, msg: "task not found" } }),
      status: "failed",
      msg: upstreamMessages.lost,
    },
  ],
  [
    "401 (our key refused) at submit",
    {
      submit: () => ({ status: 401, json: { code: 401, msg: "bad key" } }),
      result: () => garbage,
      status: "failed",
      msg: upstreamMessages.serviceProblem,
    },
  ],
  [
    // OpenAI-style relays answer an exhausted balance with 429 too: that one needs the operator, not a retry.
    "429 naming an exhausted quota at submit",
    {
      submit: () => ({ status: 429, json: { error: { message: "You exceeded your current quota", type: "insufficient_quota" } } }),
      result: () => garbage,
      status: "failed",
      msg: upstreamMessages.serviceProblem,
    },
  ],
  [
    "429 then success at submit",
    {
      submit: inTurn({ status: 429, json: {} }, accepted("u7")),
      result: () => succeeded("u7", "https://cdn.example.com/7.png"),
      status: "completed",
    },
  ],
  [
    "429 and 503 while polling, then success",
    {
      submit: () => accepted("u8"),
      result: inTurn(
        { status: 429, json: {} },
        { status: 503, text: "" },
        running("u8", 50),
        succeeded("u8", "https://cdn.example.com/8.png"),
      ),
      status: "completed",
    },
  ],
  [
    "5xx at every submit attempt",
    { submit: () => ({ status: 502, text: "bad gateway" }), result: () => garbage, status: "failed", msg: upstreamMessages.busy },
  ],
  [
    "a submit that never answers (timeout)",
    { submit: () => "hang", result: () => garbage, status: "failed", msg: upstreamMessages.timeout },
  ],
  [
    "a poll that times out, then success",
    { submit: () => accepted("u11"), result: inTurn("hang", succeeded("u11", "https://cdn.example.com/11.png")), status: "completed" },
  ],
  ["garbage at submit", { submit: () => garbage, result: () => garbage, status: "failed", msg: upstreamMessages.unreadable }],
  ["garbage while polling", { submit: () => accepted("u13"), result: () => garbage, status: "failed", msg: upstreamMessages.unreadable }],
];

describe("every upstream outcome ends in the right state with exactly one refund of a failed task, under 20 concurrent polls", () => {
  it.each(cases)("%s", async (_name, scenario) => {
    let created = false;
    fake.on("/v1/draw/nano-banana", scenario.submit);
    const result = scenario.result;
    fake.on("/v1/draw/result", (request) => (created ? result() : running(String((request.json as { id?: string }).id), 10)));
    const user = await createTestUser(app.deps, { points: 10 });

    const res = await app.post("/api/proxy/banana", bananaRequest, user.headers);
    created = true;
    const id: string = res.body.data.id;
    expect(JSON.stringify(res.body)).not.toContain(grsaiKey);

    const finals = await pollUntilFinal(user, id);
    const expected =
      scenario.status === "completed"
        ? {
            status: "completed",
            progress: 100,
            result_url: expect.stringMatching(/^https:/),
            result_urls: [expect.stringMatching(/^https:/)],
          }
        : { status: "failed", progress: expect.any(Number), msg: scenario.msg, code: scenario.code ?? "UPSTREAM_FAILED" };
    for (const final of finals) expect(final).toEqual(expected);

    const task = await taskByPublicId(app.deps, id);
    expect(task.status).toBe(scenario.status);
    expect(task.lease_until).toBeNull();
    expect(JSON.stringify(task)).not.toContain(grsaiKey);
    expect(await ledgerOfTask(app.deps, id)).toEqual({ consume: [-4], refund: scenario.status === "failed" ? [4] : [] });
    expect(await pointsOf(app.deps, user.id)).toBe(scenario.status === "failed" ? 10 : 6);
  });

  it("logs a task the relay does not know at warn, naming the upstream id, and not as an account problem", async () => {
    fake.on("/v1/draw/nano-banana", () => accepted("up-lost"));
    fake.on("/v1/draw/result", () => ({ json: { code: -22, msg: "task not found" } }));
    const user = await createTestUser(app.deps, { points: 10 });
    const id: string = (await app.post("/api/proxy/banana", bananaRequest, user.headers)).body.data.id;
    await pollUntilFinal(user, id);
    const lines = log.lines().filter((line) => line.task === id);
    expect(lines.filter((line) => line.level === "error")).toEqual([]);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: "warn", upstreamId: "up-lost", msg: "upstream does not know this task: failed and refunded" }),
    );
  });

  it("leaves the ledger consistent", async () => {
    expect(await checkLedger(app.deps.db)).toMatchObject({ ok: true });
  });
});
