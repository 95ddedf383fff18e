import type { AppDeps } from "../../deps.js";
import { AppError } from "../../errors/app-error.js";
import { findActiveSession, isUsableDeviceId, refuseUnusableDeviceId, type AuthenticatedUser } from "./sessions.js";

export interface SessionHeaders {
  /** Header `x-user-email`, trimmed and lower-cased. */
  email: string | undefined;
  /** Header `x-device-id`. */
  deviceId: string | undefined;
}

/**
 * The user of the active session named by the two headers, or UNAUTHENTICATED. The one check of
 * every authenticated call: tRPC's protectedProcedure and the express routes of modules.
 */
export async function authenticate(
  deps: Pick<AppDeps, "db" | "secret" | "config" | "clock">,
  headers: SessionHeaders,
): Promise<AuthenticatedUser> {
  const { email, deviceId } = headers;
  refuseUnusableDeviceId(deviceId);
  const user =
    email && isUsableDeviceId(deviceId)
      ? await findActiveSession(deps.db, email, deviceId, {
          secret: deps.secret,
          idleDays: deps.config.sessionIdleDays,
          now: deps.clock.now(),
        })
      : null;
  if (!user) throw new AppError("UNAUTHENTICATED");
  return user;
}
