import type { CodePurpose } from "../../db/schema.js";
import { ipLimitKey } from "../../lib/ip-limit-key.js";
import type { Cooldown, Limit } from "../../lib/rate-limit.js";

/**
 * The address under which per-address limits count an email: `name+tag@domain` is `name@domain`,
 * since both land in one inbox. Only the limits use it; the email is stored as typed.
 */
export function emailLimitKey(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 0) return email;
  const local = email.slice(0, at);
  const plus = local.indexOf("+");
  return plus > 0 ? `${local.slice(0, plus)}${email.slice(at)}` : email;
}

export const codeMailCooldownSeconds = 60;
/** Per purpose: a stranger's general codes cannot use up the owner's login codes. */
export const codeMailsPerEmailDay = 10;
export const codeMailsPerIpHour = 30;

export interface CodeMailLimits {
  cooldown: Cooldown;
  daily: Limit;
  ip: Limit;
}

/** The limits of one code email: per address and purpose (cooldown, day) and per client IP (any purpose). */
export function codeMailLimits(email: string, purpose: CodePurpose, ip: string): CodeMailLimits {
  const address = emailLimitKey(email);
  return {
    cooldown: { key: `code-mail:${purpose}:${address}`, cooldownSeconds: codeMailCooldownSeconds },
    daily: { key: `code-mail:${purpose}:${address}`, max: codeMailsPerEmailDay, windowSeconds: 86_400 },
    ip: { key: `code-mail-ip:${ipLimitKey(ip)}`, max: codeMailsPerIpHour, windowSeconds: 3_600 },
  };
}

export const loginFailureWindowSeconds = 15 * 60;
export const loginFailuresPerEmail = 10;
/** Sized for carrier-grade NAT: thousands of honest users may share one IPv4 address. */
export const loginFailuresPerIp = 200;

/**
 * Failed password checks, counted per email (guessing one account) and per IP (trying many). A
 * device the account already trusts holds a secret only the owner's browser has, so it is not
 * subject to the per-email limit: a stranger's guesses cannot lock the owner out.
 */
export function loginFailureLimits(email: string, ip: string, fromTrustedDevice: boolean): Limit[] {
  const perIp: Limit = { key: `login-fail-ip:${ipLimitKey(ip)}`, max: loginFailuresPerIp, windowSeconds: loginFailureWindowSeconds };
  if (fromTrustedDevice) return [perIp];
  return [{ key: `login-fail:${email}`, max: loginFailuresPerEmail, windowSeconds: loginFailureWindowSeconds }, perIp];
}
