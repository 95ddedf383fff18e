import type { CodePurpose } from "../../db/schema.js";
import type { AppDeps } from "../../deps.js";
import { AppError } from "../../errors/app-error.js";
import { isLimited, tryConsume } from "../../lib/rate-limit.js";
import { verificationCodeEmail } from "../../mail/templates.js";
import { insertCode, newestCodeSentAt } from "./code-queries.js";
import { codeMailCooldownSeconds, codeMailLimits } from "./limits.js";
import { codeValidMinutes, generateCode, hashCode } from "./codes.js";

export interface CodeMailRequest {
  email: string;
  purpose: CodePurpose;
  /** The device a login code is bound to; null for a general code. */
  deviceHash: string | null;
  ip: string;
}

/**
 * Counts the email against every code-mail limit, or says precisely why it cannot be sent. The
 * cooldown is read from the newest code (exact, and gives the wait); the counters are the shared,
 * all-or-nothing guard that also holds under concurrent requests.
 */
async function reserveCodeMail(deps: AppDeps, email: string, ip: string, now: Date): Promise<void> {
  const lastSentAt = await newestCodeSentAt(deps.db, email);
  const waitMs = lastSentAt ? codeMailCooldownSeconds * 1000 - (now.getTime() - lastSentAt.getTime()) : 0;
  if (waitMs > 0) throw new AppError("RATE_LIMITED", `验证码发送过于频繁，请 ${Math.ceil(waitMs / 1000)} 秒后再试`);
  const limits = codeMailLimits(email, ip);
  if (await tryConsume(deps.db, [limits.cooldown, limits.daily, limits.ip], now)) return;
  if (await isLimited(deps.db, [limits.daily], now)) throw new AppError("RATE_LIMITED", "该邮箱今日获取验证码次数已达上限，请明天再试");
  if (await isLimited(deps.db, [limits.ip], now)) throw new AppError("RATE_LIMITED", "当前网络获取验证码过于频繁，请一小时后再试");
  throw new AppError("RATE_LIMITED", `验证码发送过于频繁，请 ${codeMailCooldownSeconds} 秒后再试`);
}

/**
 * Mails a new code, then stores it. Storing only after the mail left means a code that could not
 * be sent never exists: nothing to clean up, and the older code stays the newest one.
 */
export async function sendVerificationCode(deps: AppDeps, request: CodeMailRequest): Promise<void> {
  const now = deps.clock.now();
  await reserveCodeMail(deps, request.email, request.ip, now);
  const code = generateCode();
  try {
    await deps.mailer.send(verificationCodeEmail(request.email, code, request.purpose, codeValidMinutes));
  } catch (error) {
    deps.logger.warn({ err: error, purpose: request.purpose }, "verification code email could not be sent");
    throw new AppError("MAIL_FAILED");
  }
  await insertCode(deps.db, {
    email: request.email,
    purpose: request.purpose,
    codeHash: hashCode(deps.secret, code),
    deviceHash: request.deviceHash,
    createdAt: now,
    expiresAt: new Date(now.getTime() + codeValidMinutes * 60_000),
  });
}
