import { sql, type Kysely } from "kysely";

/**
 * Each task records the provider that works it and the endpoint that accepted it, so that the
 * reconciler polls a task where it was sent (not wherever its kind is served today) and a second
 * endpoint of a provider is a configuration change, not a migration. Tasks from before were all
 * sent to the one endpoint of their kind's provider.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("tasks").addColumn("provider", "text").addColumn("endpoint", "text").execute();
  await sql`update tasks set provider = case when kind in ('sora', 'banana') then 'grsai' else 'jimeng' end`.execute(db);
  await sql`update tasks set endpoint = provider`.execute(db);
  await db.schema
    .alterTable("tasks")
    .alterColumn("provider", (col) => col.setNotNull())
    .alterColumn("endpoint", (col) => col.setNotNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("tasks").dropColumn("provider").dropColumn("endpoint").execute();
}
