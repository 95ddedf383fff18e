import type { CodePurpose } from "../../db/schema.js";
import type { AppDeps } from "../../deps.js";
import { AppError } from "../../errors/app-error.js";
import { cooldownRemainingMs, isLimited, tryConsume } from "../../lib/rate-limit.js";
import { verificationCodeEmail } from "../../mail/templates.js";
import { insertCode } from "./code-queries.js";
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
 * Counts the email against every code-mail limit, all or nothing, or says precisely why it cannot
 * be sent. The counters live in PostgreSQL, so they hold across instances and concurrent requests.
 */
async function reserveCodeMail(deps: AppDeps, request: CodeMailRequest, now: Date): Promise<void> {
  const limits = codeMailLimits(request.email, request.purpose, request.ip);
  if (await tryConsume(deps.db, [limits.cooldown, limits.daily, limits.ip], now)) return;
  const waitMs = await cooldownRemainingMs(deps.db, limits.cooldown, now);
  if (waitMs > 0) throw new AppError("RATE_LIMITED", `验证码发送过于频繁，请 ${Math.ceil(waitMs / 1000)} 秒后再试`);
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
  await reserveCodeMail(deps, request, now);
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
