import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "../../db/schema.js";

type Executor = Kysely<Database> | Transaction<Database>;

export function insertChatCall(trx: Transaction<Database>, call: { id: string; userId: number; cost: number }): Promise<unknown> {
  return trx.insertInto("chat_calls").values({ id: call.id, user_id: call.userId, cost: call.cost, status: "pending" }).execute();
}

/** pending → answered; false when the call was no longer pending (the sweep refunded it). */
export async function markChatAnswered(db: Executor, id: string): Promise<boolean> {
  const result = await db
    .updateTable("chat_calls")
    .set({ status: "answered", finished_at: sql<Date>`now()` })
    .where("id", "=", id)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** pending → refunded, once: the row comes back only to the one caller whose update won. */
export function claimChatRefund(trx: Transaction<Database>, id: string) {
  return trx
    .updateTable("chat_calls")
    .set({ status: "refunded", finished_at: sql<Date>`now()` })
    .where("id", "=", id)
    .where("status", "=", "pending")
    .returning(["user_id", "cost"])
    .executeTakeFirst();
}

/** Calls still pending after `graceSeconds` by the database's clock: their process is gone. */
export async function findAbandonedChatCalls(db: Executor, graceSeconds: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom("chat_calls")
    .select("id")
    .where("status", "=", "pending")
    .where("created_at", "<", sql<Date>`now() - make_interval(secs => ${graceSeconds})`)
    .orderBy("created_at")
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/** The ledger keeps the money's story; a finished call row is needed only while it could still move. */
export async function deleteFinishedChatCalls(db: Executor, olderThanDays: number): Promise<number> {
  const result = await db
    .deleteFrom("chat_calls")
    .where("finished_at", "<", sql<Date>`now() - make_interval(days => ${olderThanDays})`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
