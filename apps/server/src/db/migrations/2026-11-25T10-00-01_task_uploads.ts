import { sql, type Kysely } from "kysely";

/** An uploaded reference image, kept where any instance can read it until its task is final. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("task_uploads")
    .addColumn("task_id", "bigint", (col) => col.primaryKey().references("tasks.id").onDelete("cascade"))
    .addColumn("content_type", "text", (col) => col.notNull())
    .addColumn("bytes", "bytea", (col) => col.notNull())
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("task_uploads").execute();
}
