import { sql, type Transaction } from "kysely";
import type { Database } from "../../db/schema.js";
import type { AppDeps } from "../../deps.js";
import { calendarDay } from "../../lib/clock.js";
import type { AuthenticatedUser } from "../auth/sessions.js";
import { changePoints } from "../points/ledger.js";

/** One conditional update claims the day: of concurrent heartbeats, exactly one sees a row updated. */
async function claimRewardDay(trx: Transaction<Database>, userId: number, day: string): Promise<boolean> {
  const result = await trx
    .updateTable("users")
    .set({ last_reward_day: day })
    .where("id", "=", userId)
    .where("last_reward_day", "is distinct from", sql<string>`${day}::date`)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Grants the daily online reward if it is due: true when this call granted it. Costs nothing (no
 * query) when the reward is off or the session's user row already shows today.
 */
export async function grantDailyReward(deps: AppDeps, user: AuthenticatedUser, now: Date): Promise<boolean> {
  const points = deps.config.points.dailyReward;
  if (points <= 0) return false;
  const today = calendarDay(now, deps.config.rewardTimeZone);
  if (user.last_reward_day === today) return false;
  return deps.db.transaction().execute(async (trx) => {
    if (!(await claimRewardDay(trx, user.id, today))) return false;
    await changePoints(trx, { userId: user.id, delta: points, type: "reward", description: "每日在线奖励", ref: `reward:${today}` });
    return true;
  });
}
