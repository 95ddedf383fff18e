import type { Kysely } from "kysely";

/**
 * When a task's polls began to fail (null while they answer): a failed poll says nothing about the
 * task, so the task fails only once its polls have failed for `pollFailureWindowMs` in a row, not
 * after a count of failures that backoff makes a matter of seconds or of hours.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("tasks").addColumn("poll_failing_since", "timestamptz").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("tasks").dropColumn("poll_failing_since").execute();
}
