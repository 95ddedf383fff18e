import type { TaskKind } from "@ocean1/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Task } from "../db/schema.js";
import { tasks } from "../metrics/metrics.js";
import { grsaiRoute } from "../test/tasks.js";
import { startTestApp, type TestApp } from "../test/app.js";
import { createTestUser, pointsOf } from "../test/fixtures.js";
import { ledgerOfTask, taskByPublicId } from "../test/tasks.js";
import { checkLedger } from "../modules/points/ledger-check.js";
import { chargeAndCreateTask } from "./create-task.js";
import { completeTask, failTask } from "./finish.js";
import { priceRequest } from "../modules/generation/pricing.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

/** A pending banana task as the create call leaves it; `cost` overrides the catalogue's price (0: a free model). */
async function pendingTask(userId: number, cost?: number): Promise<Task> {
  const priced = priceRequest(app.deps.config.catalog, "banana", "banana-v1", { imageSize: "1K", aspectRatio: "1:1" });
  return chargeAndCreateTask(app.deps, {
    userId,
    kind: "banana",
    priced: { ...priced, cost: cost ?? priced.cost },
    request: { prompt: "p" },
    route: grsaiRoute(),
  });
}

/** How many tasks the ocean1_tasks_total counter has seen enter `status`, of every kind (a series without a kind too). */
async function counted(status: string): Promise<{ banana: number; all: number }> {
  const { values } = (await tasks.get()) as { values: Array<{ labels: { kind?: TaskKind; status?: string }; value: number }> };
  const series = values.filter((v) => v.labels.status === status);
  return {
    banana: series.find((v) => v.labels.kind === "banana")?.value ?? 0,
    all: series.reduce((sum, v) => sum + v.value, 0),
  };
}

const failure = { message: "生成失败", detail: "upstream said no" };

describe("completeTask", () => {
  it("completes a pending task once, counting it as completed once; a second call changes and counts nothing", async () => {
    const user = await createTestUser(app.deps, { points: 100 });
    const task = await pendingTask(user.id);
    const before = await counted("completed");

    expect(await completeTask(app.deps.db, task.id, ["https://cdn.example.com/a.png"])).toBe(true);
    expect(await counted("completed")).toEqual({ banana: before.banana + 1, all: before.all + 1 });
    expect(await completeTask(app.deps.db, task.id, ["https://cdn.example.com/b.png"])).toBe(false);
    expect(await counted("completed")).toEqual({ banana: before.banana + 1, all: before.all + 1 });
    expect(await taskByPublicId(app.deps, task.public_id)).toMatchObject({
      status: "completed",
      result_url: "https://cdn.example.com/a.png",
    });
  });
});

describe("failTask", () => {
  it("refunds a priced task's cost once, counting it as failed once; failing it again refunds and counts nothing", async () => {
    const user = await createTestUser(app.deps, { points: 100 });
    const task = await pendingTask(user.id);
    expect(task.cost).toBeGreaterThan(0);
    const before = await counted("failed");

    expect(await failTask(app.deps.db, task.id, failure)).toBe(true);
    expect(await failTask(app.deps.db, task.id, failure)).toBe(false);
    expect(await counted("failed")).toEqual({ banana: before.banana + 1, all: before.all + 1 });
    expect(await ledgerOfTask(app.deps, task.public_id)).toEqual({ consume: [-task.cost], refund: [task.cost] });
    expect(await pointsOf(app.deps, user.id)).toBe(100);
    const failed = await taskByPublicId(app.deps, task.public_id);
    const refund = await app.deps.db
      .selectFrom("ledger")
      .selectAll()
      .where("id", "=", failed.refund_ledger_id ?? 0)
      .executeTakeFirstOrThrow();
    expect(refund).toMatchObject({ type: "refund", amount: task.cost, description: "生成失败退款", ref: `task:${task.public_id}` });
    expect(failed.failure_message).toBe("生成失败");
  });

  it("neither fails nor counts as failed a task that already completed", async () => {
    const user = await createTestUser(app.deps, { points: 100 });
    const task = await pendingTask(user.id);
    await completeTask(app.deps.db, task.id, ["https://cdn.example.com/c.png"]);
    const before = await counted("failed");

    expect(await failTask(app.deps.db, task.id, failure)).toBe(false);
    expect(await counted("failed")).toEqual(before);
    expect(await taskByPublicId(app.deps, task.public_id)).toMatchObject({ status: "completed", failure_detail: null });
    expect((await ledgerOfTask(app.deps, task.public_id)).refund).toEqual([]);
  });

  it("writes no ledger row for a free (0-point) task that fails", async () => {
    const user = await createTestUser(app.deps, { points: 7 });
    const task = await pendingTask(user.id, 0);

    expect(await failTask(app.deps.db, task.id, failure)).toBe(true);
    expect(await ledgerOfTask(app.deps, task.public_id)).toEqual({ consume: [], refund: [] });
    expect((await taskByPublicId(app.deps, task.public_id)).refund_ledger_id).toBeNull();
    const rows = await app.deps.db.selectFrom("ledger").select("type").where("user_id", "=", user.id).execute();
    expect(rows).toEqual([{ type: "register" }]);
    expect(await pointsOf(app.deps, user.id)).toBe(7);
  });

  it("keeps the first 1,000 characters of the operator's failure detail", async () => {
    const user = await createTestUser(app.deps, { points: 100 });
    const task = await pendingTask(user.id);
    const detail = `${"a".repeat(1000)}${"b".repeat(500)}`;

    await failTask(app.deps.db, task.id, { message: "生成失败", detail });
    expect((await taskByPublicId(app.deps, task.public_id)).failure_detail).toBe("a".repeat(1000));
  });

  it("leaves the ledger consistent after all of that", async () => {
    expect(await checkLedger(app.deps.db)).toMatchObject({ ok: true, offenders: [] });
  });
});
