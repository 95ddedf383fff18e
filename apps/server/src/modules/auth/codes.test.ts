import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accountTestEnv,
  codeMailCooldownMs,
  freshIp,
  heartbeat,
  logIn,
  newDeviceId,
  requestCode,
  signUp,
  uniqueEmail,
} from "../../test/accounts.js";
import { startTestApp, type TestApp } from "../../test/app.js";
import { hashDeviceId } from "./sessions.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp(accountTestEnv);
});
afterAll(() => app.close());

const password = "correct horse battery";
const register = (email: string, verifyCode: string) =>
  app.post("/api/auth/register", { email, password, nickname: "Billy", verify_code: verifyCode }, { "x-forwarded-for": freshIp() });
const otherThan = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");
const codeRows = (email: string) =>
  app.deps.db.selectFrom("verification_codes").selectAll().where("email", "=", email).orderBy("id").execute();

/** login from a new device → NEED_VERIFY; answers the login code mailed for it. */
async function loginCodeFor(account: { email: string; password: string }, deviceId: string): Promise<string> {
  const before = app.smtp.to(account.email).length;
  expect((await logIn(app, account, deviceId)).body).toMatchObject({ status: "NEED_VERIFY" });
  expect(app.smtp.to(account.email)).toHaveLength(before + 1);
  return app.smtp.latestCode(account.email);
}

describe("verification codes", () => {
  it("mails six digits in a Chinese text and HTML email, and stores only a keyed hash valid 10 minutes", async () => {
    const email = uniqueEmail();
    const code = await requestCode(app, email);
    expect(code).toMatch(/^\d{6}$/);
    const mail = app.smtp.to(email).at(-1);
    expect(mail?.text).toContain(`您的验证码是：${code}`);
    expect(mail?.html).toContain(code);
    const [row] = await codeRows(email);
    expect(row).toMatchObject({ purpose: "general", device_hash: null, attempts: 0, consumed_at: null });
    expect(row?.code_hash).not.toContain(code);
    expect(row!.expires_at.getTime() - row!.created_at.getTime()).toBe(10 * 60_000);
  });

  it("accepts a code for 10 minutes, then answers CODE_EXPIRED", async () => {
    const [early, late] = [uniqueEmail(), uniqueEmail()];
    const earlyCode = await requestCode(app, early);
    const lateCode = await requestCode(app, late);
    app.clock.advance(10 * 60_000 - 1_000);
    expect((await register(early, earlyCode)).body.status).toBe("success");
    app.clock.advance(1_000);
    expect((await register(late, lateCode)).body).toEqual({ status: "failed", code: "CODE_EXPIRED", msg: "验证码已过期，请重新获取" });
  });

  it("locks a code after 5 wrong tries: the 6th try fails with CODE_LOCKED even with the right code", async () => {
    const email = uniqueEmail();
    const code = await requestCode(app, email);
    for (let i = 0; i < 5; i++) expect((await register(email, otherThan(code))).body.code).toBe("CODE_INVALID");
    expect((await register(email, code)).body).toMatchObject({ status: "failed", code: "CODE_LOCKED" });
    app.clock.advance(codeMailCooldownMs);
    const fresh = await requestCode(app, email);
    expect((await register(email, fresh)).body.status).toBe("success");
  });

  it("still accepts the right code after 4 wrong tries", async () => {
    const email = uniqueEmail();
    const code = await requestCode(app, email);
    for (let i = 0; i < 4; i++) await register(email, otherThan(code));
    expect((await register(email, code)).body.status).toBe("success");
  });

  it("lets only the newest code count: an older one is refused once a new one was sent", async () => {
    const email = uniqueEmail();
    const older = await requestCode(app, email);
    app.clock.advance(codeMailCooldownMs);
    const newer = await requestCode(app, email);
    if (older !== newer) expect((await register(email, older)).body.code).toBe("CODE_INVALID");
    expect((await register(email, newer)).body.status).toBe("success");
  });

  it("lets exactly one of ten concurrent uses of one code succeed", async () => {
    const account = await signUp(app);
    const code = await requestCode(app, account.email);
    const reset = (i: number) =>
      app.post("/api/auth/reset_password", { email: account.email, password: `new password ${i}`, verify_code: code });
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => reset(i)));
    expect(answers.filter((a) => a.body.status === "success")).toHaveLength(1);
    expect(answers.filter((a) => a.body.code === "CODE_INVALID")).toHaveLength(9);
  });

  it("lets exactly one of ten concurrent login_verify calls with one login code succeed", async () => {
    const account = await signUp(app);
    const deviceId = newDeviceId();
    const code = await loginCodeFor(account, deviceId);
    const verify = () => app.post("/api/auth/login_verify", { email: account.email, code, device_id: deviceId });
    const answers = await Promise.all(Array.from({ length: 10 }, verify));
    expect(answers.filter((a) => a.body.status === "success")).toHaveLength(1);
    expect(answers.filter((a) => a.body.code === "CODE_INVALID")).toHaveLength(9);
  });
});

describe("login codes and general codes do not mix", () => {
  it("refuses a general code at login_verify: it signs nobody in, not even the trusted device", async () => {
    const account = await signUp(app);
    const newDevice = newDeviceId();
    await loginCodeFor(account, newDevice);
    app.clock.advance(codeMailCooldownMs);
    const general = await requestCode(app, account.email);
    for (const deviceId of [newDevice, account.deviceId]) {
      const res = await app.post("/api/auth/login_verify", { email: account.email, code: general, device_id: deviceId });
      expect(res.body).toEqual({ status: "failed", code: "CODE_INVALID", msg: "验证码错误或已失效" });
      expect((await heartbeat(app, account.email, deviceId)).body).toEqual({ status: "rejected" });
    }
    // Refused before its digits were compared: no try counted, and it still resets the password.
    expect((await codeRows(account.email)).at(-1)).toMatchObject({ purpose: "general", attempts: 0, consumed_at: null });
    const reset = await app.post("/api/auth/reset_password", { email: account.email, password: "a new password", verify_code: general });
    expect(reset.body.status).toBe("success");
  });

  it("binds a login code to the device that asked for it", async () => {
    const account = await signUp(app);
    const asking = newDeviceId();
    const code = await loginCodeFor(account, asking);
    const other = await app.post("/api/auth/login_verify", { email: account.email, code, device_id: newDeviceId() });
    expect(other.body).toMatchObject({ status: "failed", code: "CODE_INVALID" });
    const right = await app.post("/api/auth/login_verify", { email: account.email, code, device_id: asking });
    expect(right.body).toMatchObject({ status: "success", data: { email: account.email } });
  });

  it("refuses a login code for reset_password and register", async () => {
    const account = await signUp(app);
    const code = await loginCodeFor(account, newDeviceId());
    const reset = await app.post("/api/auth/reset_password", { email: account.email, password: "a new password", verify_code: code });
    expect(reset.body).toMatchObject({ status: "failed", code: "CODE_INVALID" });
    expect((await register(account.email, code)).body).toMatchObject({ status: "failed", code: "CODE_INVALID" });
    expect((await logIn(app, account, account.deviceId)).body.status).toBe("success");
  });

  it("consumes a login code: it verifies the device once", async () => {
    const account = await signUp(app);
    const deviceId = newDeviceId();
    const code = await loginCodeFor(account, deviceId);
    const verify = () => app.post("/api/auth/login_verify", { email: account.email, code, device_id: deviceId });
    expect((await verify()).body.status).toBe("success");
    expect((await verify()).body).toMatchObject({ status: "failed", code: "CODE_INVALID" });
  });
});

describe("a retried login within the minute answers NEED_VERIFY without a mail only while its code still works", () => {
  /** Retries the login 10 s after the code was mailed: refused (the cooldown runs), no mail; a minute on, a new code that works. */
  async function expectRetryWaitsThenMailsANewCode(account: { email: string; password: string }, deviceId: string): Promise<void> {
    const before = app.smtp.to(account.email).length;
    app.clock.advance(10_000);
    expect((await logIn(app, account, deviceId)).body).toEqual({
      status: "failed",
      code: "RATE_LIMITED",
      msg: "验证码发送过于频繁，请 50 秒后再试",
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(app.smtp.to(account.email)).toHaveLength(before);

    app.clock.advance(50_000);
    expect((await logIn(app, account, deviceId)).body).toMatchObject({ status: "NEED_VERIFY" });
    const code = await app.smtp.latestCode(account.email, before);
    const verified = await app.post(
      "/api/auth/login_verify",
      { email: account.email, code, device_id: deviceId },
      { "x-device-id": deviceId },
    );
    expect(verified.body).toMatchObject({ status: "success", data: { email: account.email } });
  }

  it("mails a new code, not NEED_VERIFY alone, when the code was locked by 5 wrong tries", async () => {
    const account = await signUp(app);
    const deviceId = newDeviceId();
    const code = await loginCodeFor(account, deviceId);
    for (let i = 0; i < 5; i++) {
      const wrong = await app.post("/api/auth/login_verify", { email: account.email, code: otherThan(code), device_id: deviceId });
      expect(wrong.body.code).toBe("CODE_INVALID");
    }
    await expectRetryWaitsThenMailsANewCode(account, deviceId);
  });

  it("mails a new code, not NEED_VERIFY alone, when the code was used and the device is no longer trusted", async () => {
    const account = await signUp(app);
    const deviceId = newDeviceId();
    const code = await loginCodeFor(account, deviceId);
    expect((await app.post("/api/auth/login_verify", { email: account.email, code, device_id: deviceId })).body.status).toBe("success");
    await app.deps.db.deleteFrom("trusted_devices").where("device_hash", "=", hashDeviceId(app.deps.secret, deviceId)).execute();
    await expectRetryWaitsThenMailsANewCode(account, deviceId);
  });

  it("mails a new code, not NEED_VERIFY alone, when the code has expired", async () => {
    const account = await signUp(app);
    const deviceId = newDeviceId();
    await loginCodeFor(account, deviceId);
    const latest = (await codeRows(account.email)).at(-1);
    // Shorter than the cooldown, as a validity below a minute would make it: over at the very moment of the retry.
    const retryAt = new Date(app.clock.now().getTime() + 10_000);
    await app.deps.db.updateTable("verification_codes").set({ expires_at: retryAt }).where("id", "=", latest!.id).execute();
    await expectRetryWaitsThenMailsANewCode(account, deviceId);
  });

  it("mails a new code when the earlier one is exactly a minute old", async () => {
    const account = await signUp(app);
    const deviceId = newDeviceId();
    await loginCodeFor(account, deviceId);
    const before = app.smtp.to(account.email).length;
    app.clock.advance(60_000);
    expect((await logIn(app, account, deviceId)).body).toMatchObject({ status: "NEED_VERIFY" });
    await app.smtp.latestCode(account.email, before);
    expect(app.smtp.to(account.email)).toHaveLength(before + 1);
  });
});
