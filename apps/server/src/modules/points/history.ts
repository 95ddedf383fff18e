import { historyPageSize, type GetHistoryRequest, type GetHistoryResponse } from "@ocean1/contract";
import type { AppDeps } from "../../deps.js";
import { listLedgerRows } from "./queries.js";

/** The user's own ledger, newest first: without `before`, `data[0].balance_after` is the balance. */
export async function getHistory(deps: Pick<AppDeps, "db">, userId: number, request: GetHistoryRequest): Promise<GetHistoryResponse> {
  const data = await listLedgerRows(deps.db, userId, { limit: request.limit ?? historyPageSize.default, before: request.before });
  return { status: "success", data };
}
