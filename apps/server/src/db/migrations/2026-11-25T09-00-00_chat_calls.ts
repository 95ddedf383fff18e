import { sql, type Kysely } from "kysely";

/**
 * One row per paid cat-chat call, so that a charge whose process died before the reply or the
 * refund is still refunded (by the background sweep), and refunded once (a compare-and-set on status).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("chat_calls")
    .addColumn("id", "uuid", (col) => col.primaryKey())
    .addColumn("user_id", "integer", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("cost", "integer", (col) => col.notNull().check(sql`cost > 0`))
    .addColumn("status", "text", (col) => col.notNull().check(sql`status in ('pending', 'answered', 'refunded')`))
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("finished_at", "timestamptz")
    .execute();
  await db.schema
    .createIndex("chat_calls_pending_idx")
    .on("chat_calls")
    .column("created_at")
    .where(sql.ref("status"), "=", "pending")
    .execute();
  await db.schema.createIndex("chat_calls_finished_idx").on("chat_calls").column("finished_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("chat_calls").execute();
}
