import type { Limit } from "../../lib/rate-limit.js";

export const codeMailCooldownSeconds = 60;
export const codeMailsPerEmailDay = 10;
export const codeMailsPerIpHour = 30;

/** Every code email to an address counts, whatever sent it (send_code or a login from a new device). */
export function codeMailLimits(email: string, ip: string): { cooldown: Limit; daily: Limit; ip: Limit } {
  return {
    cooldown: { key: `code-mail:${email}`, max: 1, windowSeconds: codeMailCooldownSeconds },
    daily: { key: `code-mail:${email}`, max: codeMailsPerEmailDay, windowSeconds: 86_400 },
    ip: { key: `code-mail-ip:${ip}`, max: codeMailsPerIpHour, windowSeconds: 3_600 },
  };
}

export const loginFailureWindowSeconds = 15 * 60;
export const loginFailuresPerEmail = 10;
export const loginFailuresPerIp = 50;

/** Failed password checks, counted per email (guessing one account) and per IP (trying many). */
export function loginFailureLimits(email: string, ip: string): Limit[] {
  return [
    { key: `login-fail:${email}`, max: loginFailuresPerEmail, windowSeconds: loginFailureWindowSeconds },
    { key: `login-fail-ip:${ip}`, max: loginFailuresPerIp, windowSeconds: loginFailureWindowSeconds },
  ];
}
