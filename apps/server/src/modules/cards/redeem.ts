import type { RedeemCardRequest, RedeemCardResponse } from "@ocean1/contract";
import type { AppDeps } from "../../deps.js";
import { AppError } from "../../errors/app-error.js";
import { ipLimitKey } from "../../lib/ip-limit-key.js";
import { releaseHit, tryConsume, type Limit } from "../../lib/rate-limit.js";
import { changePoints } from "../points/ledger.js";
import { lockCardKey, markCardKeyRedeemed } from "./queries.js";
import { cardRefusal, hashCardKey, normaliseCardKey, type CardRefusal } from "./card-key.js";
import { cardRef } from "../points/refs.js";

/**
 * Guesses (keys that do not exist) allowed per window, so that keys cannot be found by brute
 * force. The per-IP number is sized for carrier-grade NAT: many honest users behind one address.
 */
export const redeemFailureLimits = {
  perUser: { max: 5, windowSeconds: 600 },
  perIp: { max: 100, windowSeconds: 600 },
} as const;

/** A real key that cannot be redeemed (a double click, a shared card): answered, never a guess. */
const realKeyFailures: ReadonlySet<string> = new Set<CardRefusal>(["CARD_USED", "CARD_DISABLED", "CARD_EXPIRED"]);

export interface RedeemCaller {
  userId: number;
  email: string;
  ip: string;
}

function failureLimits(caller: RedeemCaller): Limit[] {
  return [
    { key: `redeem:user:${caller.userId}`, ...redeemFailureLimits.perUser },
    { key: `redeem:ip:${ipLimitKey(caller.ip)}`, ...redeemFailureLimits.perIp },
  ];
}

async function claimAndCredit(deps: Pick<AppDeps, "db">, userId: number, keyHash: string, now: Date): Promise<number> {
  return deps.db.transaction().execute(async (trx) => {
    const card = await lockCardKey(trx, keyHash);
    const refusal = cardRefusal(card, now);
    if (refusal || !card) throw new AppError(refusal ?? "CARD_INVALID");
    await markCardKeyRedeemed(trx, card.id, userId, now);
    const row = await changePoints(trx, { userId, delta: card.points, type: "recharge", description: "卡密充值", ref: cardRef(card.id) });
    return row.balance_after;
  });
}

/** Redeems a card key for the caller: the key is claimed and its points credited in one transaction. */
export async function redeemCard(
  deps: Pick<AppDeps, "db" | "secret" | "clock">,
  caller: RedeemCaller,
  request: RedeemCardRequest,
): Promise<RedeemCardResponse> {
  if (request.email !== caller.email) throw new AppError("FORBIDDEN", "只能为当前登录的账号充值");
  // A malformed key can never match, so it is refused without counting as a guess.
  const key = normaliseCardKey(request.card_key);
  if (!key) throw new AppError("CARD_INVALID", "卡密格式错误，应为 XXXX-XXXX-XXXX");
  const now = deps.clock.now();
  const limits = failureLimits(caller);
  // An attempt takes a failure slot first and gives it back unless the key does not exist, so a
  // burst of concurrent guesses cannot pass the limit before its failures are counted.
  if (!(await tryConsume(deps.db, limits, now))) throw new AppError("RATE_LIMITED", "卡密尝试次数过多，请 10 分钟后再试");
  try {
    const newPoints = await claimAndCredit(deps, caller.userId, hashCardKey(deps.secret, key), now);
    await releaseHit(deps.db, limits, now);
    return { status: "success", msg: "充值成功", new_points: newPoints };
  } catch (error) {
    if (error instanceof AppError && realKeyFailures.has(error.code)) await releaseHit(deps.db, limits, now);
    throw error;
  }
}
