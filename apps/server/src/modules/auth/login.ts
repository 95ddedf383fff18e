import type { LoginRequest, LoginResponse } from "@ocean1/contract";
import type { AppDeps } from "../../deps.js";
import { AppError } from "../../errors/app-error.js";
import { verifyPassword } from "../../lib/passwords.js";
import { releaseHit, tryConsume } from "../../lib/rate-limit.js";
import type { ClientInfo } from "./client.js";
import { assertSupportedClient } from "./client-version.js";
import { ensureLoginCode } from "./login-code.js";
import { loginFailureLimits } from "./limits.js";
import { findAccountByEmail } from "./queries.js";
import { hashDeviceId, isTrustedDevice, isUsableDeviceId } from "./sessions.js";
import { signIn } from "./sign-in.js";

/**
 * Password first, the same answer for an unknown email and a wrong password. A trusted device
 * signs in at once; any other device is mailed a code bound to it and answered NEED_VERIFY.
 */
export async function logIn(deps: AppDeps, input: LoginRequest, client: ClientInfo): Promise<LoginResponse> {
  assertSupportedClient(deps.config.minClientVersion, input.version);
  // Before any password work: a page rendered on the server (`"server"`) cannot sign in at all.
  if (!isUsableDeviceId(input.device_id)) throw new AppError("INVALID_DEVICE");
  const now = deps.clock.now();
  const account = await findAccountByEmail(deps.db, input.email);
  const deviceHash = hashDeviceId(deps.secret, input.device_id);
  // Looked up for an unknown email too (user id 0 exists nowhere): the same queries either way, so
  // timing does not tell whether an email is registered.
  const trustedRow = await isTrustedDevice(deps.db, account?.id ?? 0, deviceHash);
  const trusted = account !== undefined && trustedRow;
  const failureLimits = loginFailureLimits(input.email, client.ip, trusted);
  // Every attempt takes a failure slot first and gives it back when the password is right, so a
  // burst of concurrent guesses cannot pass the limit before its failures are counted.
  if (!(await tryConsume(deps.db, failureLimits, now))) throw new AppError("RATE_LIMITED", "登录失败次数过多，请 15 分钟后再试");

  const passwordMatches = await verifyPassword(account?.password_hash, input.password);
  if (!account || !passwordMatches) throw new AppError("WRONG_PASSWORD");
  await releaseHit(deps.db, failureLimits, now);
  if (account.disabled_at) throw new AppError("ACCOUNT_DISABLED");

  if (trusted) {
    const data = await deps.db.transaction().execute((trx) => signIn(trx, account.id, deviceHash, now));
    return { status: "success", data };
  }
  await ensureLoginCode(deps, { email: account.email, deviceHash, ip: client.ip });
  return { status: "NEED_VERIFY", msg: "新设备登录需要验证，验证码已发送至您的邮箱" };
}
