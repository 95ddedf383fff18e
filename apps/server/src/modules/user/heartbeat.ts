import type { HeartbeatRequest, HeartbeatResponse } from "@ocean1/contract";
import type { AppDeps } from "../../deps.js";
import type { SessionHeaders } from "../auth/authenticate.js";
import { findActiveSession, isUsableDeviceId, refuseUnusableDeviceId } from "../auth/sessions.js";
import { grantDailyReward } from "./daily-reward.js";

/**
 * The hottest path: one indexed read when nothing is due. A caller that is not the active session
 * of the body's email is answered `rejected` (the frontend logs out). A device id no session can
 * have (`"server"`: the frontend rendered on the server) fails INVALID_DEVICE like every
 * authenticated call, so a server-side render does not log the browser out.
 */
export async function heartbeat(deps: AppDeps, input: HeartbeatRequest, caller: SessionHeaders): Promise<HeartbeatResponse> {
  refuseUnusableDeviceId(caller.deviceId);
  if (!caller.email || caller.email !== input.email || !isUsableDeviceId(caller.deviceId)) return { status: "rejected" };
  const now = deps.clock.now();
  const user = await findActiveSession(deps.db, caller.email, caller.deviceId, {
    secret: deps.secret,
    idleDays: deps.config.sessionIdleDays,
    now,
  });
  if (!user) return { status: "rejected" };
  return { status: "ok", has_reward: await grantDailyReward(deps, user, now) };
}
