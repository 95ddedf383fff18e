import type { LoginVerifyRequest, LoginVerifyResponse } from "@ocean1/contract";
import type { AppDeps } from "../../deps.js";
import { AppError } from "../../errors/app-error.js";
import { withVerifiedCode } from "./codes.js";
import { findAccountByEmail } from "./queries.js";
import { hashDeviceId, isUsableDeviceId } from "./sessions.js";
import { signIn } from "./sign-in.js";

/**
 * Only the login code that a correct password sent to this very device signs it in: login_verify
 * carries no password, so a general code (send_code) must never do.
 */
export async function verifyLogin(deps: AppDeps, input: LoginVerifyRequest): Promise<LoginVerifyResponse> {
  if (!isUsableDeviceId(input.device_id)) throw new AppError("INVALID_DEVICE");
  const now = deps.clock.now();
  const deviceHash = hashDeviceId(deps.secret, input.device_id);
  const data = await withVerifiedCode(deps, { email: input.email, code: input.code, purpose: "login", deviceHash, now }, async (trx) => {
    const account = await findAccountByEmail(trx, input.email);
    if (!account) throw new AppError("CODE_INVALID");
    if (account.disabled_at) throw new AppError("ACCOUNT_DISABLED");
    return signIn(trx, account.id, deviceHash, now);
  });
  return { status: "success", data };
}
