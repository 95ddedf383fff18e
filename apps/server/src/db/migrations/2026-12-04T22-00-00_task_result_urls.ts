import { sql, type Kysely } from "kysely";

/**
 * Every result a task produced (jimeng-4.x answers four images, all paid for); `result_url` stays the
 * first, so callers that read one URL keep working. Tasks completed before this column show theirs alone.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("tasks")
    .addColumn("result_urls", sql`text[]`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("tasks").dropColumn("result_urls").execute();
}
