import { sql, type Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import type { ResultUrls } from "../providers/outcome.js";
import { tasks } from "../metrics/metrics.js";
import { changePoints } from "../modules/points/ledger.js";
import { taskRef } from "../modules/points/refs.js";
import { unfinished } from "./queries.js";

export const refundDescription = "生成失败退款";

/**
 * Completes a task: a compare-and-set from an unfinished status, so a task is completed at most
 * once and never after it failed. Answers whether this call made the change.
 */
export async function completeTask(db: Kysely<Database>, id: number, resultUrls: ResultUrls, upstreamCalls = 1): Promise<boolean> {
  const kind = await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("tasks")
      .set({
        status: "completed",
        progress: 100,
        result_url: resultUrls[0],
        result_urls: [...resultUrls],
        result_at: sql`now()`,
        finished_at: sql`now()`,
        lease_owner: null,
        lease_until: null,
        polled_at: sql`now()`,
        upstream_calls: sql`upstream_calls + ${upstreamCalls}`,
        updated_at: sql`now()`,
      })
      .where("id", "=", id)
      .where("status", "in", unfinished)
      .returning(["id", "kind"])
      .executeTakeFirst();
    if (!row) return undefined;
    await trx.deleteFrom("task_uploads").where("task_id", "=", id).execute();
    return row.kind;
  });
  if (kind) tasks.labels(kind, "completed").inc();
  return kind !== undefined;
}

export interface TaskFailure {
  /** Chinese, shown to the user. */
  message: string;
  /** What happened, for the operator. */
  detail: string;
  upstreamCalls?: number;
}

/**
 * Fails a task and refunds its cost in one transaction. The compare-and-set to `failed` lets exactly
 * one caller through, so the refund happens exactly once whatever runs concurrently.
 */
export async function failTask(db: Kysely<Database>, id: number, failure: TaskFailure): Promise<boolean> {
  const kind = await db.transaction().execute(async (trx) => {
    const task = await trx
      .updateTable("tasks")
      .set({
        status: "failed",
        failure_message: failure.message,
        failure_detail: failure.detail.slice(0, 1000),
        finished_at: sql`now()`,
        lease_owner: null,
        lease_until: null,
        upstream_calls: sql`upstream_calls + ${failure.upstreamCalls ?? 0}`,
        updated_at: sql`now()`,
      })
      .where("id", "=", id)
      .where("status", "in", unfinished)
      .returningAll()
      .executeTakeFirst();
    if (!task) return undefined;
    await trx.deleteFrom("task_uploads").where("task_id", "=", id).execute();
    if (task.cost > 0) {
      const refund = await changePoints(trx, {
        userId: task.user_id,
        delta: task.cost,
        type: "refund",
        description: refundDescription,
        ref: taskRef(task.public_id),
      });
      await trx.updateTable("tasks").set({ refund_ledger_id: refund.id }).where("id", "=", id).execute();
    }
    return task.kind;
  });
  if (kind) tasks.labels(kind, "failed").inc();
  return kind !== undefined;
}
