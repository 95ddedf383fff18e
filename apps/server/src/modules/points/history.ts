import { historyPageSize, type GetHistoryRequest, type GetHistoryResponse, type HistoryRecord } from "@ocean1/contract";
import type { AppDeps } from "../../deps.js";
import type { HistoryRow } from "./queries.js";
import { listLedgerRows } from "./queries.js";

function toHistoryRecord(row: HistoryRow): HistoryRecord {
  return {
    id: row.id,
    type: row.type,
    amount: row.amount,
    balance_after: row.balance_after,
    description: row.description,
    created_at: row.created_at,
  };
}

/** The user's own ledger, newest first: without `before`, `data[0].balance_after` is the balance. */
export async function getHistory(deps: Pick<AppDeps, "db">, userId: number, request: GetHistoryRequest): Promise<GetHistoryResponse> {
  const rows = await listLedgerRows(deps.db, userId, { limit: request.limit ?? historyPageSize.default, before: request.before });
  return { status: "success", data: rows.map(toHistoryRecord) };
}
