import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountTestEnv, codeMailCooldownMs, freshIp, logIn, newDeviceId, uniqueEmail } from "../../test/accounts.js";
import { startTestApp, type TestApp } from "../../test/app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp(accountTestEnv);
});
afterAll(() => app.close());

const sendCode = (email: string, ip = freshIp()) => app.post("/api/auth/send_code", { email }, { "x-forwarded-for": ip });

function moveToNextPeriod(periodMs: number, offsetMs: number): void {
  const now = app.clock.now().getTime();
  app.clock.set(new Date((Math.floor(now / periodMs) + 1) * periodMs + offsetMs));
}

/** send_code → register from `deviceId`, without moving the clock (the cooldown of the general code runs on). */
async function registerNow(email: string, deviceId: string, password: string): Promise<void> {
  expect((await sendCode(email)).body.status).toBe("success");
  const code = await app.smtp.latestCode(email);
  const res = await app.post(
    "/api/auth/register",
    { email, password, nickname: "Billy", verify_code: code },
    { "x-device-id": deviceId, "x-forwarded-for": freshIp() },
  );
  expect(res.body).toEqual({ status: "success", msg: "注册成功" });
}

async function verifyWithLatestCode(email: string, deviceId: string, before: number) {
  const code = await app.smtp.latestCode(email, before);
  return app.post("/api/auth/login_verify", { email, code, device_id: deviceId }, { "x-device-id": deviceId });
}

describe("code emails are limited per purpose", () => {
  it("mails a login code at once to a user who registered seconds ago on another device", async () => {
    const account = { email: uniqueEmail(), password: `pw-${randomUUID()}` };
    await registerNow(account.email, newDeviceId(), account.password);
    app.clock.advance(5_000);
    const phone = newDeviceId();
    const before = app.smtp.to(account.email).length;
    expect((await logIn(app, account, phone)).body).toMatchObject({ status: "NEED_VERIFY" });
    expect((await verifyWithLatestCode(account.email, phone, before)).body).toMatchObject({
      status: "success",
      data: { email: account.email },
    });
  });

  it("keeps the owner's new-device login working after a stranger used up the day's send_code emails", async () => {
    moveToNextPeriod(86_400_000, 60_000);
    const account = { email: uniqueEmail(), password: `pw-${randomUUID()}` };
    await registerNow(account.email, newDeviceId(), account.password);
    for (let i = 1; i < 10; i++) {
      app.clock.advance(codeMailCooldownMs);
      expect((await sendCode(account.email)).body.status).toBe("success");
    }
    app.clock.advance(codeMailCooldownMs);
    expect((await sendCode(account.email)).body).toMatchObject({ code: "RATE_LIMITED", msg: expect.stringContaining("明天") });

    const laptop = newDeviceId();
    const before = app.smtp.to(account.email).length;
    expect((await logIn(app, account, laptop)).body.status).toBe("NEED_VERIFY");
    const verified = await verifyWithLatestCode(account.email, laptop, before);
    expect(verified.body).toMatchObject({ status: "success", data: { email: account.email } });
  });

  it("keeps a login code valid when a general code is sent after it: only a code of the same purpose supersedes", async () => {
    const account = { email: uniqueEmail(), password: `pw-${randomUUID()}` };
    await registerNow(account.email, newDeviceId(), account.password);
    app.clock.advance(codeMailCooldownMs);
    const laptop = newDeviceId();
    const before = app.smtp.to(account.email).length;
    expect((await logIn(app, account, laptop)).body.status).toBe("NEED_VERIFY");
    const loginCode = await app.smtp.latestCode(account.email, before);
    app.clock.advance(5_000);
    expect((await sendCode(account.email)).body.status).toBe("success");
    const generalCode = await app.smtp.latestCode(account.email, before + 1);
    const verified = await app.post(
      "/api/auth/login_verify",
      { email: account.email, code: loginCode, device_id: laptop },
      { "x-device-id": laptop },
    );
    expect(verified.body).toMatchObject({ status: "success", data: { email: account.email } });
    const reset = await app.post("/api/auth/reset_password", {
      email: account.email,
      password: "a new long password",
      verify_code: generalCode,
    });
    expect(reset.body.status).toBe("success");
  });

  it("answers a retried login from the same untrusted device within 60 s with NEED_VERIFY and no second email", async () => {
    const account = { email: uniqueEmail(), password: `pw-${randomUUID()}` };
    await registerNow(account.email, newDeviceId(), account.password);
    const laptop = newDeviceId();
    const before = app.smtp.to(account.email).length;
    expect((await logIn(app, account, laptop)).body.status).toBe("NEED_VERIFY");
    await app.smtp.latestCode(account.email, before);
    app.clock.advance(30_000);
    expect((await logIn(app, account, laptop)).body).toEqual({ status: "NEED_VERIFY", msg: expect.any(String) });
    // Another device within the minute waits: one new login code per address a minute.
    expect((await logIn(app, account, newDeviceId())).body).toMatchObject({
      status: "failed",
      code: "RATE_LIMITED",
      msg: expect.stringContaining("30 秒"),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(app.smtp.to(account.email)).toHaveLength(before + 1);
    expect((await verifyWithLatestCode(account.email, laptop, before)).body.status).toBe("success");
  });

  it("answers both of a double-clicked login from a new device with NEED_VERIFY and mails one code", async () => {
    const account = { email: uniqueEmail(), password: `pw-${randomUUID()}` };
    await registerNow(account.email, newDeviceId(), account.password);
    const laptop = newDeviceId();
    const before = app.smtp.to(account.email).length;
    const clicks = await Promise.all([logIn(app, account, laptop), logIn(app, account, laptop)]);
    expect(clicks.map((click) => click.body.status)).toEqual(["NEED_VERIFY", "NEED_VERIFY"]);
    await app.smtp.latestCode(account.email, before);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(app.smtp.to(account.email)).toHaveLength(before + 1);
  });

  it("mails a new login code once the earlier one is a minute old", async () => {
    const account = { email: uniqueEmail(), password: `pw-${randomUUID()}` };
    await registerNow(account.email, newDeviceId(), account.password);
    const laptop = newDeviceId();
    const before = app.smtp.to(account.email).length;
    expect((await logIn(app, account, laptop)).body.status).toBe("NEED_VERIFY");
    await app.smtp.latestCode(account.email, before);
    app.clock.advance(codeMailCooldownMs);
    expect((await logIn(app, account, laptop)).body.status).toBe("NEED_VERIFY");
    await app.smtp.latestCode(account.email, before + 1);
    expect(app.smtp.to(account.email)).toHaveLength(before + 2);
  });

  it("counts name+tag@domain as name@domain for the address limits, and stores the email as typed", async () => {
    const [name, domain] = uniqueEmail().split("@");
    const tagged = (tag: string) => `${name}+${tag}@${domain}`;
    expect((await sendCode(tagged("a"))).body.status).toBe("success");
    expect((await sendCode(tagged("b"))).body).toMatchObject({ status: "failed", code: "RATE_LIMITED" });
    expect((await sendCode(`${name}@${domain}`)).body).toMatchObject({ status: "failed", code: "RATE_LIMITED" });
    expect(app.smtp.to(tagged("b"))).toHaveLength(0);

    const code = await app.smtp.latestCode(tagged("a"));
    const res = await app.post("/api/auth/register", {
      email: tagged("a"),
      password: "long enough pw",
      nickname: "Billy",
      verify_code: code,
    });
    expect(res.body.status).toBe("success");
    const stored = await app.deps.db.selectFrom("users").select("email").where("email", "like", `${name}%`).execute();
    expect(stored).toEqual([{ email: tagged("a") }]);
  });

  it("counts every address of one IPv6 /64 as one client for the 30 code emails an hour", async () => {
    moveToNextPeriod(3_600_000, 60_000);
    const sent = await Promise.all(Array.from({ length: 30 }, (_, i) => sendCode(uniqueEmail(), `2001:db8:5:6::${(i + 1).toString(16)}`)));
    expect(sent.every((res) => res.body.status === "success")).toBe(true);
    expect((await sendCode(uniqueEmail(), "2001:db8:5:6:abcd::1")).body).toMatchObject({ status: "failed", code: "RATE_LIMITED" });
    expect((await sendCode(uniqueEmail(), "2001:db8:5:7::1")).body.status).toBe("success");
    expect((await sendCode(uniqueEmail(), "::ffff:198.51.100.9")).body.status).toBe("success");
  });
});
