import type { RegisterRequest, RegisterResponse } from "@ocean1/contract";
import type { Config } from "../../config.js";
import type { AppDeps } from "../../deps.js";
import { AppError } from "../../errors/app-error.js";
import { hashPassword } from "../../lib/passwords.js";
import { applyInviteCode, createPersonalInvite } from "../invites/service.js";
import { changePoints } from "../points/ledger.js";
import type { ClientInfo } from "./client.js";
import { withVerifiedCode } from "./codes.js";
import { insertAccount } from "./queries.js";
import { hashDeviceId, refuseUnusableDeviceId, trustDevice } from "./sessions.js";

/** The invite code to apply under the policy, or null; an empty one counts as none. */
function inviteCodeUnderPolicy(policy: Config["invitePolicy"], inviteCode: string | undefined): string | null {
  if (policy === "off") return null;
  const given = inviteCode?.trim() || null;
  if (!given && policy === "required") throw new AppError("INVITE_REQUIRED");
  return given;
}

/**
 * One transaction: the user, its first ledger row, the invite it used, its own invite code and
 * the trusted registering device; the verification code is consumed only if all of it succeeds.
 */
export async function register(deps: AppDeps, input: RegisterRequest, client: ClientInfo): Promise<RegisterResponse> {
  const { config } = deps;
  const inviteCode = inviteCodeUnderPolicy(config.invitePolicy, input.invite_code);
  // No header (a script) registers without a trusted device; `"server"` or a short id is a page rendered on the server.
  refuseUnusableDeviceId(client.deviceId);
  const deviceHash = client.deviceId !== undefined ? hashDeviceId(deps.secret, client.deviceId) : null;
  const now = deps.clock.now();
  await withVerifiedCode(deps, { email: input.email, code: input.verify_code, purpose: "general", now }, async (trx) => {
    // Hashed only once the code is proven, so requests without a valid code cost no KDF work; the
    // code row stays locked meanwhile, which only delays other attempts on the same email.
    const passwordHash = await hashPassword(input.password);
    const userId = await insertAccount(trx, { email: input.email, nickname: input.nickname, passwordHash, now });
    await changePoints(trx, { userId, delta: config.points.registerBonus, type: "register", description: "注册赠送", ref: null });
    if (inviteCode) await applyInviteCode(trx, { code: inviteCode, userId, inviterBonus: config.points.inviteBonus, now });
    await createPersonalInvite(trx, userId, now);
    if (deviceHash) await trustDevice(trx, userId, deviceHash, now);
  });
  return { status: "success", msg: "注册成功" };
}
