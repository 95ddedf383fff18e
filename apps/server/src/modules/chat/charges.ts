import { randomUUID } from "node:crypto";
import type { Db } from "../../db/database.js";
import type { Logger } from "../../logger.js";
import { changePoints } from "../points/ledger.js";
import { claimChatRefund, deleteFinishedChatCalls, findAbandonedChatCalls, insertChatCall, markChatAnswered } from "./calls.js";
import { chatRef } from "../points/refs.js";

export const chatLedger = { consume: "猫猫对话", refund: "对话失败退款" } as const;

/** Far past the longest call (the upstream wait is at most 28 s): a call pending this long has lost its process. */
export const abandonedChatGraceSeconds = 120;
const finishedChatRetentionDays = 7;

/** Charges one call and records it as pending, in one transaction; answers the call's id. */
export async function chargeChat(db: Db, userId: number, cost: number): Promise<string> {
  const id = randomUUID();
  await db.transaction().execute(async (trx) => {
    await changePoints(trx, { userId, delta: -cost, type: "consume", description: chatLedger.consume, ref: chatRef(id) });
    await insertChatCall(trx, { id, userId, cost });
  });
  return id;
}

export function finishChat(db: Db, id: string): Promise<boolean> {
  return markChatAnswered(db, id);
}

/** Refunds a pending call; false when it was already answered or refunded (so never twice). */
export function refundChat(db: Db, id: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const call = await claimChatRefund(trx, id);
    if (!call) return false;
    await changePoints(trx, { userId: call.user_id, delta: call.cost, type: "refund", description: chatLedger.refund, ref: chatRef(id) });
    return true;
  });
}

/**
 * The background sweep: refunds the calls whose process died between the charge and the answer,
 * and forgets finished calls after a week. Safe on every instance at once (refundChat is a compare-and-set).
 */
export async function sweepChatCalls(db: Db, log: Logger, signal?: AbortSignal): Promise<{ refunded: number; deleted: number }> {
  let refunded = 0;
  for (const id of await findAbandonedChatCalls(db, abandonedChatGraceSeconds, 100)) {
    if (signal?.aborted) break;
    if (await refundChat(db, id)) {
      refunded++;
      log.warn({ ref: chatRef(id) }, "refunded a cat chat left unanswered by a stopped process");
    }
  }
  return { refunded, deleted: await deleteFinishedChatCalls(db, finishedChatRetentionDays) };
}
