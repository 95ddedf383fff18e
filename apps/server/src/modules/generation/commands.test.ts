import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../../cli/output.js";
import { startTestApp, type TestApp } from "../../test/app.js";
import { runCommand } from "../../test/cli.js";
import { startFakeUpstream, type FakeUpstream } from "../../test/fake-upstream.js";
import { createTestUser, type TestUser } from "../../test/fixtures.js";
import { accepted, bananaRequest, failedWith, fastTuning, grsaiEnv, grsaiKey, succeeded } from "../../test/generation.js";
import { ledgerCheckCommand } from "../points/commands.js";
import { tasksListCommand, tasksShowCommand } from "./commands.js";

let fake: FakeUpstream;
let app: TestApp;
let alice: TestUser;
let bob: TestUser;
let completedId: string;
let failedId: string;

beforeAll(async () => {
  fake = await startFakeUpstream();
  app = await startTestApp(grsaiEnv(fake), { tuning: fastTuning });
  alice = await createTestUser(app.deps, { points: 100, email: "alice-tasks@example.com" });
  bob = await createTestUser(app.deps, { points: 100, email: "bob-tasks@example.com" });
  fake.on("/v1/draw/nano-banana", (request) =>
    accepted((request.json as { prompt: string }).prompt.includes("bad") ? "up-bad" : "up-good"),
  );
  fake.on("/v1/draw/result", (request) =>
    (request.json as { id: string }).id === "up-bad"
      ? failedWith("up-bad", "output_moderation", "nsfw")
      : succeeded("up-good", "https://cdn.example.com/good.png"),
  );
  completedId = (await app.post("/api/proxy/banana", bananaRequest, alice.headers)).body.data.id;
  failedId = (await app.post("/api/proxy/banana", { ...bananaRequest, prompt: "bad cat" }, bob.headers)).body.data.id;
});
afterAll(async () => {
  await app.close();
  await fake.close();
});

const list = async (options: Record<string, string> = {}) =>
  (await runCommand(tasksListCommand, app.deps, { options, json: true })).json as Array<Record<string, unknown>>;

describe("tasks list", () => {
  it("prints each task with the documented keys, newest first", async () => {
    const tasks = await list();
    expect(tasks.map((t) => t.id)).toEqual([failedId, completedId]);
    expect(tasks[1]).toEqual({
      id: completedId,
      email: alice.email,
      kind: "banana",
      model: "banana-v1",
      status: "completed",
      progress: 100,
      cost: 4,
      result_url: "https://cdn.example.com/good.png",
      created_at: expect.any(Date),
    });
  });

  it("filters by status and by user", async () => {
    expect((await list({ status: "failed" })).map((t) => t.id)).toEqual([failedId]);
    expect((await list({ user: " ALICE-tasks@example.com " })).map((t) => t.id)).toEqual([completedId]);
    expect(await list({ status: "failed", user: alice.email })).toEqual([]);
  });

  it("refuses an unknown status", async () => {
    await expect(runCommand(tasksListCommand, app.deps, { options: { status: "done" } })).rejects.toBeInstanceOf(UsageError);
  });
});

describe("tasks show", () => {
  it("shows the upstream id, the failure and the ledger rows that charged and refunded the task, never the key", async () => {
    const result = await runCommand(tasksShowCommand, app.deps, { args: [failedId], json: true });
    expect(result.json).toMatchObject({
      id: failedId,
      email: bob.email,
      status: "failed",
      upstream_id: "up-bad",
      upstream_model: "nano-banana",
      failure_message: expect.stringContaining("审核"),
      failure_detail: "output_moderation: nsfw",
      // nano-banana makes one size: the size is recorded as made, not sent.
      request: { model: "nano-banana", prompt: "bad cat", aspectRatio: "1:1" },
      options: { imageSize: "1K", aspectRatio: "1:1" },
      ledger: [
        expect.objectContaining({ type: "consume", amount: -4, description: "Banana 图片生成" }),
        expect.objectContaining({ type: "refund", amount: 4, description: "生成失败退款" }),
      ],
    });
    const text = (await runCommand(tasksShowCommand, app.deps, { args: [failedId] })).text;
    expect(text).toContain("up-bad");
    expect(text + JSON.stringify(result.json)).not.toContain(grsaiKey);
  });

  it("refuses an unknown id", async () => {
    await expect(runCommand(tasksShowCommand, app.deps, { args: ["nope"] })).rejects.toMatchObject({ code: "TASK_NOT_FOUND" });
  });
});

describe("ledger check", () => {
  const check = async () =>
    (await runCommand(ledgerCheckCommand, app.deps, { json: true })) as {
      json: { ok: boolean; offenders: Array<{ email: string; problem: string }> };
      exitCode?: number;
    };

  it("is clean after real tasks", async () => {
    expect((await check()).json).toMatchObject({ ok: true, offenders: [] });
  });

  it("names a failed task that was not refunded", async () => {
    await sql`update tasks set status = 'failed' where public_id = ${completedId}`.execute(app.deps.db);
    try {
      const report = await check();
      expect(report.exitCode).toBe(1);
      expect(report.json.offenders).toEqual([
        { email: alice.email, problem: `task ${completedId}: failed but refunded 0 time(s), 0 point(s)` },
      ]);
    } finally {
      await sql`update tasks set status = 'completed' where public_id = ${completedId}`.execute(app.deps.db);
    }
  });

  it("refuses a second refund of a task at the database, whatever the code does", async () => {
    const { changePoints } = await import("../points/ledger.js");
    const refundAgain = app.deps.db
      .transaction()
      .execute((trx) =>
        changePoints(trx, { userId: bob.id, delta: 4, type: "refund", description: "生成失败退款", ref: `task:${failedId}` }),
      );
    await expect(refundAgain).rejects.toThrow(/ledger_refund_once_per_ref/);
  });

  it("names a completed task that was refunded", async () => {
    await app.deps.db.transaction().execute(async (trx) => {
      const { changePoints } = await import("../points/ledger.js");
      await changePoints(trx, { userId: alice.id, delta: 4, type: "refund", description: "生成失败退款", ref: `task:${completedId}` });
    });
    const report = await check();
    expect(report.json.offenders).toEqual([{ email: alice.email, problem: `task ${completedId}: completed but refunded 1 time(s)` }]);
  });
});
