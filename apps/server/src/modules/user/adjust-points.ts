import { displayText } from "@ocean1/contract";
import { z } from "zod";
import type { AppDeps } from "../../deps.js";
import { validated } from "../../lib/validate.js";
import { AppError } from "../../errors/app-error.js";
import { changePoints } from "../points/ledger.js";
import { requireUser } from "./operator.js";
import { findUserByEmail } from "./queries.js";

export const adjustLimits = { maxAmount: 1_000_000, maxReasonLength: 200 } as const;

export interface AdjustPointsRequest {
  email: string;
  /** Positive credits, negative debits; never 0. */
  amount: number;
  reason: string;
}

export interface AdjustedPoints {
  ledger_id: number;
  email: string;
  amount: number;
  balance_after: number;
  description: string;
}

const amountMessage = `调整积分应为非 0 整数，绝对值不超过 ${adjustLimits.maxAmount}`;
/** The rules of an adjustment, shared by the service and the operator CLI (one rule, one message). */
export const ZAdjustAmount = z
  .number({ error: amountMessage })
  .int(amountMessage)
  .min(-adjustLimits.maxAmount, amountMessage)
  .max(adjustLimits.maxAmount, amountMessage)
  .refine((amount) => amount !== 0, amountMessage);
/** Shown in the user's history and in terminals: no control or invisible characters. */
export const ZAdjustReason = displayText("调整原因", adjustLimits.maxReasonLength);

/** An operator's credit or debit, through changePoints like every other change: never below 0. */
export async function adjustPoints(deps: Pick<AppDeps, "db">, request: AdjustPointsRequest): Promise<AdjustedPoints> {
  const amount = validated(ZAdjustAmount, request.amount, "amount");
  const description = `运营调整：${validated(ZAdjustReason, request.reason, "reason")}`;
  return deps.db.transaction().execute(async (trx) => {
    const user = await requireUser(trx, request.email);
    const { email } = user;
    try {
      const row = await changePoints(trx, { userId: user.id, delta: amount, type: "adjust", description, ref: "operator" });
      return { ledger_id: row.id, email, amount: row.amount, balance_after: row.balance_after, description };
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "INSUFFICIENT_POINTS") throw error;
      const current = (await findUserByEmail(trx, email))?.points ?? user.points;
      throw new AppError(
        "INSUFFICIENT_POINTS",
        `积分不足：${email} 当前余额 ${current}，无法扣除 ${-amount}（余额不能低于 0），未做任何更改`,
      );
    }
  });
}
