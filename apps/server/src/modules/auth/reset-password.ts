import type { ResetPasswordRequest, ResetPasswordResponse } from "@ocean1/contract";
import type { AppDeps } from "../../deps.js";
import { AppError } from "../../errors/app-error.js";
import { hashPassword } from "../../lib/passwords.js";
import { withVerifiedCode } from "./codes.js";
import { findAccountByEmail, setPasswordHash } from "./queries.js";
import { endSessions } from "./sessions.js";

/**
 * A general code proves control of the mailbox; only then may the answer say that the email is not
 * registered (before, an unknown email fails like a wrong code). Every session ends; trusted
 * devices stay trusted, so the next login from one needs no second code.
 */
export async function resetPassword(deps: AppDeps, input: ResetPasswordRequest): Promise<ResetPasswordResponse> {
  const now = deps.clock.now();
  await withVerifiedCode(deps, { email: input.email, code: input.verify_code, purpose: "general", now }, async (trx) => {
    // Hashed only once the code is proven, so requests without a valid code cost no KDF work; the
    // code row stays locked meanwhile, which only delays other attempts on the same email.
    const passwordHash = await hashPassword(input.password);
    const account = await findAccountByEmail(trx, input.email);
    if (!account) throw new AppError("EMAIL_NOT_REGISTERED");
    await setPasswordHash(trx, account.id, passwordHash);
    await endSessions(trx, account.id);
  });
  return { status: "success", msg: "密码重置成功" };
}
