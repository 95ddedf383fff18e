import { sql, type Kysely } from "kysely";

/**
 * The options a task is made as, in the catalogue's terms (`{"imageSize":"1K","aspectRatio":"1:1"}`):
 * for a model whose upstream ignores an option this is what it produces, not what was asked, and it
 * is what the answer and the task list show. Tasks from before show none.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("tasks")
    .addColumn("options", "jsonb", (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("tasks").dropColumn("options").execute();
}
