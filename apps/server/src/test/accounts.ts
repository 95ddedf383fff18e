import { randomUUID } from "node:crypto";
import type { TestApp } from "./app.js";

/**
 * Account helpers for integration tests. Start the app with `accountTestEnv` so that each helper
 * call can come from an IP of its own (`x-forwarded-for`): per-IP limits then stay per test.
 */
export const accountTestEnv = { TRUST_PROXY: "1" } as const;

let sequence = 0;
export function uniqueEmail(label = "user"): string {
  return `${label}-${process.pid}-${++sequence}-${randomUUID().slice(0, 8)}@example.com`;
}

let ipSequence = 0;
/** A fresh client IP, distinct from every other one of this test process. */
export function freshIp(): string {
  ipSequence++;
  return `10.${(ipSequence >> 16) & 255}.${(ipSequence >> 8) & 255}.${ipSequence & 255}`;
}

export function newDeviceId(): string {
  return randomUUID();
}

/** Past the one-code-email-per-minute limit of an address. */
export const codeMailCooldownMs = 61_000;

export interface TestAccount {
  email: string;
  password: string;
  nickname: string;
  /** The device that registered (trusted). */
  deviceId: string;
}

export function sessionHeaders(email: string, deviceId: string): Record<string, string> {
  return { "x-user-email": email, "x-device-id": deviceId };
}

/** Mails a general code to `email` from `ip` and answers it as read from the mailbox. */
export async function requestCode(app: TestApp, email: string, ip = freshIp()): Promise<string> {
  const before = app.smtp.to(email).length;
  const res = await app.post("/api/auth/send_code", { email }, { "x-forwarded-for": ip });
  if (res.body.status !== "success") throw new Error(`send_code failed: ${JSON.stringify(res.body)}`);
  return app.smtp.latestCode(email, before);
}

/**
 * send_code → register from a device of its own, then moves the clock past the code-email
 * cooldown so that the next code to this address may be sent at once.
 */
export async function signUp(app: TestApp, overrides: Partial<TestAccount> & { inviteCode?: string } = {}): Promise<TestAccount> {
  const account: TestAccount = {
    email: overrides.email ?? uniqueEmail(),
    password: overrides.password ?? `pw-${randomUUID()}`,
    nickname: overrides.nickname ?? "Billy",
    deviceId: overrides.deviceId ?? newDeviceId(),
  };
  const code = await requestCode(app, account.email);
  const res = await app.post(
    "/api/auth/register",
    { email: account.email, password: account.password, nickname: account.nickname, invite_code: overrides.inviteCode, verify_code: code },
    { "x-device-id": account.deviceId, "x-forwarded-for": freshIp() },
  );
  if (res.body.status !== "success") throw new Error(`register failed: ${JSON.stringify(res.body)}`);
  app.clock.advance(codeMailCooldownMs);
  return account;
}

export function logIn(app: TestApp, account: Pick<TestAccount, "email" | "password">, deviceId: string, ip = freshIp()) {
  return app.post(
    "/api/auth/login",
    { email: account.email, password: account.password, device_id: deviceId, version: "1.0.0" },
    { "x-device-id": deviceId, "x-forwarded-for": ip },
  );
}

/** login from an untrusted device → NEED_VERIFY → login_verify with the mailed code; answers login_verify's body. */
export async function logInOnNewDevice(app: TestApp, account: Pick<TestAccount, "email" | "password">, deviceId: string) {
  const before = app.smtp.to(account.email).length;
  const login = await logIn(app, account, deviceId);
  if (login.body.status !== "NEED_VERIFY") throw new Error(`expected NEED_VERIFY, got ${JSON.stringify(login.body)}`);
  const code = await app.smtp.latestCode(account.email, before);
  const verified = await app.post(
    "/api/auth/login_verify",
    { email: account.email, code, device_id: deviceId },
    { "x-device-id": deviceId },
  );
  app.clock.advance(codeMailCooldownMs);
  return verified.body;
}

export function heartbeat(app: TestApp, email: string, deviceId: string, bodyEmail = email) {
  return app.post("/api/user/heartbeat", { email: bodyEmail }, sessionHeaders(email, deviceId));
}
