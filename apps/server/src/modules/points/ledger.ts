import type { LedgerType } from "@ocean1/contract";
import { sql, type Transaction } from "kysely";
import type { Database, LedgerRow } from "../../db/schema.js";
import { AppError } from "../../errors/app-error.js";
import { countPoints } from "../../metrics/metrics.js";

export interface PointsChange {
  userId: number;
  /** Positive credits, negative debits; 0 only for the sign-up row. */
  delta: number;
  type: LedgerType;
  /** Chinese, shown in the user's history (e.g. `卡密充值`). */
  description: string;
  /** What caused it: `card:<id>`, `task:<id>`, `user:<id>`, `invite:<id>`, `operator`. */
  ref?: string | null;
}

/** The balance column is a PostgreSQL integer: a credit that would pass it is refused, never an SQL error. */
export const maxBalance = 2_147_483_647;

/**
 * The one way points move. Inside the caller's transaction: a conditional update that can never
 * take the balance below zero, and the ledger row that records it. The row lock taken by the
 * update orders concurrent changes of one user, so `balance_after` always follows the previous row.
 */
export async function changePoints(trx: Transaction<Database>, change: PointsChange): Promise<LedgerRow> {
  if (!Number.isSafeInteger(change.delta) || Math.abs(change.delta) > maxBalance)
    throw new Error(`points delta must be an integer within the balance column, got ${change.delta}`);
  // Summed as bigint: `points + delta` in the integer column's own type would overflow into an SQL error.
  const newBalance = sql<number>`${sql.ref("points")}::bigint + ${change.delta}`;
  const updated = await trx
    .updateTable("users")
    .set((eb) => ({ points: eb("points", "+", change.delta) }))
    .where("id", "=", change.userId)
    .where(newBalance, ">=", 0)
    .where(newBalance, "<=", maxBalance)
    .returning("points")
    .executeTakeFirst();
  if (!updated) {
    const current = await trx.selectFrom("users").select("points").where("id", "=", change.userId).executeTakeFirst();
    if (!current) throw new Error(`changePoints: no user ${change.userId}`);
    throw new AppError(current.points + change.delta > maxBalance ? "POINTS_LIMIT" : "INSUFFICIENT_POINTS");
  }
  countPoints(change.type, change.delta);
  return trx
    .insertInto("ledger")
    .values({
      user_id: change.userId,
      type: change.type,
      amount: change.delta,
      balance_after: updated.points,
      description: change.description,
      ref: change.ref ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
