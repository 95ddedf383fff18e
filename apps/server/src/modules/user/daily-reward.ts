import { sql, type Transaction } from "kysely";
import type { Database } from "../../db/schema.js";
import type { AppDeps } from "../../deps.js";
import { calendarDay } from "../../lib/clock.js";
import type { AuthenticatedUser } from "../auth/sessions.js";
import { changePoints } from "../points/ledger.js";

/**
 * One conditional update claims the day: of concurrent heartbeats, exactly one sees a row updated.
 * Only a later day can be claimed, so a heartbeat from just before midnight that commits late (or
 * an instance whose clock lags) can never write an earlier day back and open the new day again.
 */
async function claimRewardDay(trx: Transaction<Database>, userId: number, day: string): Promise<boolean> {
  const result = await trx
    .updateTable("users")
    .set({ last_reward_day: day })
    .where("id", "=", userId)
    .where((eb) => eb.or([eb("last_reward_day", "is", null), eb("last_reward_day", "<", sql<string>`${day}::date`)]))
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
