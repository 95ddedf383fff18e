import { sql, type Kysely } from "kysely";

/**
 * A ledger row's time is taken when it is inserted, not when its transaction began (`now()`):
 * the insert follows the user's row lock, as its id does, so a user's history is in the same
 * order by id and by time. With `now()`, a transaction that began earlier but took the lock
 * later got a higher id with an earlier time.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("ledger")
    .alterColumn("created_at", (col) => col.setDefault(sql`clock_timestamp()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("ledger")
    .alterColumn("created_at", (col) => col.setDefault(sql`now()`))
    .execute();
}
