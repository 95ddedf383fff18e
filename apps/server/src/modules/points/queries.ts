import type { Kysely } from "kysely";
import type { Database, LedgerRow } from "../../db/schema.js";

export interface LedgerPage {
  limit: number;
  /** Only rows with a smaller id (older rows). */
  before?: number | undefined;
}

/** A user's ledger rows, newest first, served by the (user_id, id desc) index. */
export async function listLedgerRows(db: Kysely<Database>, userId: number, page: LedgerPage): Promise<LedgerRow[]> {
  let query = db.selectFrom("ledger").selectAll().where("user_id", "=", userId).orderBy("id", "desc").limit(page.limit);
  if (page.before !== undefined) query = query.where("id", "<", page.before);
  return query.execute();
}
