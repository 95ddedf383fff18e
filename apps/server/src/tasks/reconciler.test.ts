import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AppDeps } from "../deps.js";
import type { Task } from "../db/schema.js";
import { grsaiRoute } from "../test/tasks.js";
import { startTestApp, type TestApp } from "../test/app.js";
import { startFakeUpstream, type FakeUpstream } from "../test/fake-upstream.js";
import { createTestUser, pointsOf } from "../test/fixtures.js";
import { fastTuning, grsaiEnv, running, succeeded } from "../test/generation.js";
import { ageTask, ledgerOfTask, taskByPublicId } from "../test/tasks.js";
import { checkLedger } from "../modules/points/ledger-check.js";
import { chargeAndCreateTask } from "./create-task.js";
import { createGeneration } from "./create-generation.js";
import { priceRequest } from "../modules/generation/pricing.js";
import { recordAccepted } from "./queries.js";
import { reconcileDue } from "./reconciler.js";
import type { GenerationTuning } from "./tuning.js";
import { upstreamMessages } from "../providers/outcome.js";

let fake: FakeUpstream;
let app: TestApp;
const tuning: Partial<GenerationTuning> = { ...fastTuning, submitGraceMs: 800, maxInFlightPerProvider: 3 };
beforeAll(async () => {
  fake = await startFakeUpstream();
  app = await startTestApp(grsaiEnv(fake), { tuning });
});
afterAll(async () => {
  await app.close();
  await fake.close();
});
beforeEach(async () => {
  fake.requests.length = 0;
  // Each test sees only its own tasks: earlier ones are not due again today.
  await sql`update tasks set next_poll_at = now() + interval '1 day' where status in ('pending', 'processing')`.execute(app.deps.db);
});

/** Another server instance on the same database. */
function secondInstance(deps: AppDeps): AppDeps {
  const { generation: _generation, ...core } = deps;
  return { ...core, generation: createGeneration(core, { tuning }) };
}

/** A charged banana task, as the create call leaves it before the submit (the instance may die here). */
async function chargedTask(userId: number): Promise<Task> {
  const priced = priceRequest(app.deps.config.catalog, "banana", "banana-v1", { imageSize: "1K", aspectRatio: "1:1" });
  return chargeAndCreateTask(app.deps, { userId, kind: "banana", priced, request: { prompt: "p" }, route: grsaiRoute() });
}

/** A charged task the upstream accepted as `upstreamId`, due for a poll now. */
async function acceptedTask(userId: number, upstreamId: string): Promise<Task> {
  const task = await chargedTask(userId);
  await recordAccepted(app.deps.db, task.id, upstreamId, 0, 1);
  return task;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the reconciler", () => {
  it("fails and refunds, after the grace period, a task whose instance died between the charge and the submit", async () => {
    const user = await createTestUser(app.deps, { points: 10 });
    const task = await chargedTask(user.id);
    expect(await pointsOf(app.deps, user.id)).toBe(6);

    const other = secondInstance(app.deps);
    expect(await reconcileDue(other)).toEqual({ claimed: 0 }); // still inside the grace period: maybe submitting
    expect((await taskByPublicId(app.deps, task.public_id)).status).toBe("pending");

    await wait(900);
    expect(await reconcileDue(other)).toEqual({ claimed: 1 });
    expect(await taskByPublicId(app.deps, task.public_id)).toMatchObject({
      status: "failed",
      failure_message: upstreamMessages.interrupted,
      lease_until: null,
    });
    expect(await reconcileDue(other)).toEqual({ claimed: 0 });
    expect(await ledgerOfTask(app.deps, task.public_id)).toEqual({ consume: [-4], refund: [4] });
    expect(await pointsOf(app.deps, user.id)).toBe(10);
    expect(fake.requests).toHaveLength(0);
  });

  it("works each task once when two instances reconcile the same database at once", async () => {
    const user = await createTestUser(app.deps, { points: 200 });
    const tasks = await Promise.all(Array.from({ length: 30 }, (_, i) => acceptedTask(user.id, `up-pair-${i}`)));
    fake.on("/v1/draw/result", async (request) => {
      await wait(30);
      const id = (request.json as { id: string }).id;
      return succeeded(id, `https://cdn.example.com/${id}.png`);
    });
    const [a, b] = await Promise.all([reconcileDue(app.deps), reconcileDue(secondInstance(app.deps))]);
    expect(a.claimed + b.claimed).toBe(30);
    const polledIds = fake.to("/v1/draw/result").map((r) => (r.json as { id: string }).id);
    expect(polledIds.sort()).toEqual(tasks.map((_, i) => `up-pair-${i}`).sort());
    for (const task of tasks) expect((await taskByPublicId(app.deps, task.public_id)).status).toBe("completed");
  });

  it("keeps at most the configured number of upstream calls in flight per provider", async () => {
    const user = await createTestUser(app.deps, { points: 100 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => acceptedTask(user.id, `up-limit-${i}`)));
    let inFlight = 0;
    let most = 0;
    fake.on("/v1/draw/result", async (request) => {
      most = Math.max(most, ++inFlight);
      await wait(40);
      inFlight--;
      return running((request.json as { id: string }).id, 10);
    });
    expect(await reconcileDue(app.deps)).toEqual({ claimed: 10 });
    expect(fake.to("/v1/draw/result")).toHaveLength(10);
    expect(most).toBe(3);
  });

  it("fails and refunds a task past its maximum age, without asking the upstream", async () => {
    const user = await createTestUser(app.deps, { points: 4 });
    const task = await acceptedTask(user.id, "up-old");
    await ageTask(app.deps, task.public_id, 3 * 3600);
    expect(await reconcileDue(app.deps)).toEqual({ claimed: 1 });
    expect(await taskByPublicId(app.deps, task.public_id)).toMatchObject({ status: "failed", failure_message: upstreamMessages.tooLong });
    expect(await ledgerOfTask(app.deps, task.public_id)).toEqual({ consume: [-4], refund: [4] });
    expect(fake.requests).toHaveLength(0);
  });

  it("polls long tasks less often", async () => {
    const user = await createTestUser(app.deps, { points: 8 });
    const young = await acceptedTask(user.id, "up-young");
    const old = await acceptedTask(user.id, "up-long");
    await ageTask(app.deps, old.public_id, 10 * 60);
    fake.on("/v1/draw/result", (request) => running((request.json as { id: string }).id, 30));
    await reconcileDue(app.deps);
    const gap = async (task: Task) => {
      const { rows } = await sql<{
        ms: number;
      }>`select extract(epoch from next_poll_at - polled_at) * 1000 as ms from tasks where id = ${task.id}`.execute(app.deps.db);
      return Math.round(rows[0]?.ms ?? 0);
    };
    expect(await gap(young)).toBe(50);
    expect(await gap(old)).toBe(375);
  });

  it("polls a young sora task at the five-minute cadence (2.5 × the first interval), a young banana at the first", async () => {
    const user = await createTestUser(app.deps, { points: 24 });
    const banana = await acceptedTask(user.id, "up-banana");
    const priced = priceRequest(app.deps.config.catalog, "sora", "sora-2", { duration: 10, size: "small", aspectRatio: "16:9" });
    const sora = await chargeAndCreateTask(app.deps, {
      userId: user.id,
      kind: "sora",
      priced,
      request: { prompt: "p" },
      route: grsaiRoute(),
    });
    await recordAccepted(app.deps.db, sora.id, "up-sora", 0, 1);
    fake.on("/v1/draw/result", (request) => running((request.json as { id: string }).id, 10));
    await reconcileDue(app.deps);
    const { rows } = await sql<{ id: number; ms: number }>`
      select id, extract(epoch from next_poll_at - polled_at) * 1000 as ms from tasks where id in (${banana.id}, ${sora.id})`.execute(
      app.deps.db,
    );
    const gapOf = (id: number) => Math.round(rows.find((row) => row.id === id)?.ms ?? 0);
    expect(gapOf(banana.id)).toBe(50);
    expect(gapOf(sora.id)).toBe(125);
  });

  it("polls no more tasks a second than the poll budget allows, the most overdue first", async () => {
    const user = await createTestUser(app.deps, { points: 20 });
    const created = await Promise.all(["up-1", "up-2", "up-3", "up-4", "up-5"].map((id) => acceptedTask(user.id, id)));
    // up-1 is the most overdue, up-5 the least.
    for (const [index, task] of created.entries())
      await sql`update tasks set next_poll_at = now() - make_interval(secs => ${60 - index})
        where id = ${task.id}`.execute(app.deps.db);
    fake.on("/v1/draw/result", (request) => running((request.json as { id: string }).id, 10));
    const { generation: _generation, ...core } = app.deps;
    const budgeted: AppDeps = { ...core, generation: createGeneration(core, { tuning: { ...tuning, maxPollsPerSecond: 1 } }) };
    expect(await reconcileDue(budgeted)).toEqual({ claimed: 2 });
    expect(await reconcileDue(budgeted)).toEqual({ claimed: 0 });
    expect(fake.requests.map((request) => (request.json as { id: string }).id).sort()).toEqual(["up-1", "up-2"]);
    await wait(2_100);
    expect(await reconcileDue(budgeted)).toEqual({ claimed: 2 });
    expect(fake.requests.map((request) => (request.json as { id: string }).id).sort()).toEqual(["up-1", "up-2", "up-3", "up-4"]);
  });

  it("records every running task of one pass: its progress, one more upstream call, its lease released", async () => {
    const user = await createTestUser(app.deps, { points: 12 });
    const ids = ["up-a", "up-b", "up-c"];
    const created = await Promise.all(ids.map((id) => acceptedTask(user.id, id)));
    const progressOf: Record<string, number> = { "up-a": 10, "up-b": 40, "up-c": 70 };
    fake.on("/v1/draw/result", (request) => {
      const id = (request.json as { id: string }).id;
      return running(id, progressOf[id] ?? 0);
    });
    expect(await reconcileDue(app.deps)).toEqual({ claimed: 3 });
    const rows = await Promise.all(created.map((task) => taskByPublicId(app.deps, task.public_id)));
    expect(rows.map((row) => [row.upstream_id, row.status, row.progress, row.upstream_calls, row.lease_owner])).toEqual([
      ["up-a", "processing", 10, 2, null],
      ["up-b", "processing", 40, 2, null],
      ["up-c", "processing", 70, 2, null],
    ]);
  });

  it("backs off on 429 and 5xx instead of failing the task, then completes it", async () => {
    const user = await createTestUser(app.deps, { points: 4 });
    const task = await acceptedTask(user.id, "up-busy");
    const answers = [
      { status: 429, json: {} },
      { status: 503, text: "" },
      { status: 500, text: "" },
    ];
    fake.on("/v1/draw/result", () => answers.shift() ?? succeeded("up-busy", "https://cdn.example.com/busy.png"));
    const backoffs: number[] = [];
    for (let i = 0; i < 3; i++) {
      await reconcileDue(app.deps);
      const row = await taskByPublicId(app.deps, task.public_id);
      expect(row).toMatchObject({ status: "processing", poll_failures: i + 1, refund_ledger_id: null });
      backoffs.push(row.next_poll_at.getTime() - (row.polled_at?.getTime() ?? 0));
      expect(await reconcileDue(app.deps)).toEqual({ claimed: 0 }); // not due again yet
      await wait(backoffs.at(-1)! + 20);
    }
    expect(backoffs.map((ms) => Math.round(ms))).toEqual([100, 200, 200]);
    await reconcileDue(app.deps);
    expect(await taskByPublicId(app.deps, task.public_id)).toMatchObject({ status: "completed", refund_ledger_id: null });
  });

  it("leaves the ledger consistent", async () => {
    expect(await checkLedger(app.deps.db)).toMatchObject({ ok: true });
  });
});
