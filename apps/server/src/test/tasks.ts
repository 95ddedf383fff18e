import { sql } from "kysely";
import type { AppDeps } from "../deps.js";
import type { Task } from "../db/schema.js";

/** Task helpers for integration tests. */
export async function taskByPublicId(deps: AppDeps, publicId: string): Promise<Task> {
  return deps.db.selectFrom("tasks").selectAll().where("public_id", "=", publicId).executeTakeFirstOrThrow();
}

/** The ledger rows that charged (`consume`) and refunded (`refund`) a task. */
export async function ledgerOfTask(deps: AppDeps, publicId: string): Promise<{ consume: number[]; refund: number[] }> {
  const rows = await deps.db.selectFrom("ledger").select(["type", "amount"]).where("ref", "=", `task:${publicId}`).orderBy("id").execute();
  return {
    consume: rows.filter((row) => row.type === "consume").map((row) => row.amount),
    refund: rows.filter((row) => row.type === "refund").map((row) => row.amount),
  };
}

export async function taskCount(deps: AppDeps): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from tasks`.execute(deps.db);
  return rows[0]?.n ?? 0;
}

/** Lets a task's lease and schedule lapse now, as if its grace period or lease had passed. */
export async function expireLease(deps: AppDeps, publicId: string): Promise<void> {
  await sql`update tasks set lease_until = now() - interval '1 second', next_poll_at = now() - interval '1 second' where public_id = ${publicId}`.execute(deps.db);
}

/** Makes a task look `seconds` older than it is (max-age and slow-polling rules). */
export async function ageTask(deps: AppDeps, publicId: string, seconds: number): Promise<void> {
  await sql`update tasks set created_at = created_at - make_interval(secs => ${seconds}) where public_id = ${publicId}`.execute(deps.db);
}
