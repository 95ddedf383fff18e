import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("tasks")
    .addColumn("id", "bigint", (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("public_id", "text", (col) => col.notNull().unique())
    .addColumn("user_id", "integer", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("kind", "text", (col) => col.notNull().check(sql`kind in ('sora', 'banana', 'jimeng_video', 'jimeng_image')`))
    .addColumn("model", "text", (col) => col.notNull())
    .addColumn("upstream_model", "text", (col) => col.notNull())
    .addColumn("request", "jsonb", (col) => col.notNull())
    .addColumn("upstream_id", "text")
    .addColumn("status", "text", (col) => col.notNull().check(sql`status in ('pending', 'processing', 'completed', 'failed')`))
    .addColumn("progress", "integer", (col) =>
      col
        .notNull()
        .defaultTo(0)
        .check(sql`progress between 0 and 100`),
    )
    .addColumn("result_url", "text")
    .addColumn("result_at", "timestamptz")
    .addColumn("failure_message", "text")
    .addColumn("failure_detail", "text")
    .addColumn("cost", "integer", (col) => col.notNull().check(sql`cost >= 0`))
    .addColumn("charge_ledger_id", "bigint", (col) => col.references("ledger.id").onDelete("set null"))
    .addColumn("refund_ledger_id", "bigint", (col) => col.references("ledger.id").onDelete("set null"))
    .addColumn("lease_owner", "text")
    .addColumn("lease_until", "timestamptz")
    .addColumn("next_poll_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("polled_at", "timestamptz")
    .addColumn("poll_failures", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("upstream_calls", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("finished_at", "timestamptz")
    // A final task has left the reconciler's hands; a completed one was never refunded.
    .addCheckConstraint("tasks_final_has_no_lease", sql`status in ('pending', 'processing') or lease_until is null`)
    .addCheckConstraint("tasks_completed_not_refunded", sql`status <> 'completed' or refund_ledger_id is null`)
    .execute();
  await db.schema.createIndex("tasks_user_id_idx").on("tasks").columns(["user_id", "id desc"]).execute();
  // The reconciler reads only unfinished tasks, in the order they fall due.
  await db.schema
    .createIndex("tasks_unfinished_due_idx")
    .on("tasks")
    .column("next_poll_at")
    .where(sql.ref("status"), "in", sql`('pending', 'processing')`)
    .execute();
  // At most one refund per task, whatever the code does.
  await db.schema
    .createIndex("ledger_refund_once_per_ref")
    .on("ledger")
    .column("ref")
    .unique()
    .where(sql<boolean>`type = 'refund' and ref like 'task:%'`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("ledger_refund_once_per_ref").execute();
  await db.schema.dropTable("tasks").execute();
}
