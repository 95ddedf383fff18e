import type { AppDeps } from "../../deps.js";
import { endSessions } from "../auth/sessions.js";
import { requireUser } from "./operator.js";
import { markUserDisabled } from "./queries.js";

export interface DisabledUser {
  id: number;
  email: string;
  disabled_at: Date;
  already_disabled: boolean;
}

/**
 * Disables an account and ends its session in one transaction: its next call is UNAUTHENTICATED
 * and it cannot log in again. Disabling twice changes nothing but ends any session again.
 */
export async function disableUser(deps: Pick<AppDeps, "db" | "clock">, email: string): Promise<DisabledUser> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const user = await requireUser(trx, email);
    const disabledNow = await markUserDisabled(trx, user.id, now);
    await endSessions(trx, user.id);
    return { id: user.id, email: user.email, disabled_at: disabledNow ? now : (user.disabled_at ?? now), already_disabled: !disabledNow };
  });
}
