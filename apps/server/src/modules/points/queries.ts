import type { Kysely } from "kysely";
import { prepared } from "../../db/database.js";
import type { Database, LedgerRow } from "../../db/schema.js";

export interface LedgerPage {
  limit: number;
  /** Only rows with a smaller id (older rows). */
  before?: number | undefined;
}

export type HistoryRow = Pick<LedgerRow, "id" | "type" | "amount" | "balance_after" | "description" | "created_at">;

// Fixed texts, run as prepared statements: the history is the second most frequent read.
const columns = "id, type, amount, balance_after, description, created_at";
const newestRows = `select ${columns} from ledger where user_id = $1 order by id desc limit $2`;
const olderRows = `select ${columns} from ledger where user_id = $1 and id < $3 order by id desc limit $2`;

/** A user's ledger rows, newest first, served by the (user_id, id desc) index. */
export async function listLedgerRows(db: Kysely<Database>, userId: number, page: LedgerPage): Promise<HistoryRow[]> {
  const query =
    page.before === undefined
      ? prepared<HistoryRow>(newestRows, [userId, page.limit])
      : prepared<HistoryRow>(olderRows, [userId, page.limit, page.before]);
  const { rows } = await db.executeQuery(query);
  return rows;
}
