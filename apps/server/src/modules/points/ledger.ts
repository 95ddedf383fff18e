import type { LedgerType } from "@ocean1/contract";
import type { Transaction } from "kysely";
import type { Database, LedgerRow } from "../../db/schema.js";
import { AppError } from "../../errors/app-error.js";

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

/**
 * The one way points move. Inside the caller's transaction: a conditional update that can never
 * take the balance below zero, and the ledger row that records it. The row lock taken by the
 * update orders concurrent changes of one user, so `balance_after` always follows the previous row.
 */
export async function changePoints(trx: Transaction<Database>, change: PointsChange): Promise<LedgerRow> {
  if (!Number.isSafeInteger(change.delta)) throw new Error(`points delta must be an integer, got ${change.delta}`);
  const updated = await trx
    .updateTable("users")
    .set((eb) => ({ points: eb("points", "+", change.delta) }))
    .where("id", "=", change.userId)
    .where((eb) => eb(eb("points", "+", change.delta), ">=", 0))
    .returning("points")
    .executeTakeFirst();
  if (!updated) {
    const exists = await trx.selectFrom("users").select("id").where("id", "=", change.userId).executeTakeFirst();
    if (!exists) throw new Error(`changePoints: no user ${change.userId}`);
    throw new AppError("INSUFFICIENT_POINTS");
  }
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
