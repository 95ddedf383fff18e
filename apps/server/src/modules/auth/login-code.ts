import { sql } from "kysely";
import type { AppDeps } from "../../deps.js";
import { sendVerificationCode } from "./code-mail.js";
import { hasFreshLoginCode } from "./codes.js";

export interface LoginCodeRequest {
  email: string;
  deviceHash: string;
  ip: string;
}

/**
 * Mails this device a login code unless the one it was sent less than a minute ago still works.
 * Logins of one email take turns here (a transaction-scoped advisory lock, held while the mail
 * goes out), so a double-clicked login sends one email and both clicks answer NEED_VERIFY.
 */
export async function ensureLoginCode(deps: AppDeps, request: LoginCodeRequest): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`login-code:${request.email}`}))`.execute(trx);
    if (await hasFreshLoginCode(deps, request.email, request.deviceHash, deps.clock.now())) return;
    await sendVerificationCode(deps, { email: request.email, purpose: "login", deviceHash: request.deviceHash, ip: request.ip });
  });
}
