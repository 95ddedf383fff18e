import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountTestEnv, codeMailCooldownMs, freshIp, requestCode, signUp, uniqueEmail } from "../../test/accounts.js";
import { startTestApp, type TestApp } from "../../test/app.js";
import { createSmtpMailer } from "../../mail/mailer.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp(accountTestEnv);
});
afterAll(() => app.close());

const sendCode = (email: string, ip = freshIp()) => app.post("/api/auth/send_code", { email }, { "x-forwarded-for": ip });

/** Moves the clock to `offsetMs` past the start of the next whole `periodMs` (UTC), never backwards. */
function moveToNextPeriod(periodMs: number, offsetMs: number): void {
  const now = app.clock.now().getTime();
  app.clock.set(new Date((Math.floor(now / periodMs) + 1) * periodMs + offsetMs));
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("send_code", () => {
  it("answers the same success for a registered and an unregistered email, and mails both", async () => {
    const registered = await signUp(app);
    const unknown = uniqueEmail();
    const answers = [await sendCode(registered.email), await sendCode(unknown)];
    for (const res of answers) expect(res).toEqual({ status: 200, body: { status: "success", msg: "邮件已发送" } });
    expect(app.smtp.to(unknown)).toHaveLength(1);
    expect(app.smtp.to(registered.email)).toHaveLength(2);
  });

  it("mails an address at most once a minute and says how long to wait", async () => {
    const email = uniqueEmail();
    await sendCode(email);
    const refused = await sendCode(email);
    expect(refused.body).toEqual({ status: "failed", code: "RATE_LIMITED", msg: "验证码发送过于频繁，请 60 秒后再试" });
    app.clock.advance(45_000);
    expect((await sendCode(email)).body.msg).toContain("15 秒");
    app.clock.advance(15_000);
    expect((await sendCode(email)).body.status).toBe("success");
    expect(app.smtp.to(email)).toHaveLength(2);
  });

  it("mails an address at most 10 codes a day", async () => {
    moveToNextPeriod(86_400_000, 60_000);
    const email = uniqueEmail();
    for (let i = 0; i < 10; i++) {
      expect((await sendCode(email)).body.status).toBe("success");
      app.clock.advance(codeMailCooldownMs);
    }
    const refused = await sendCode(email);
    expect(refused.body).toEqual({ status: "failed", code: "RATE_LIMITED", msg: "该邮箱今日获取验证码次数已达上限，请明天再试" });
    moveToNextPeriod(86_400_000, 60_000);
    expect((await sendCode(email)).body.status).toBe("success");
    expect(app.smtp.to(email)).toHaveLength(11);
  });

  it("mails at most 30 codes an hour for one client IP, whatever the addresses", async () => {
    moveToNextPeriod(3_600_000, 60_000);
    const ip = freshIp();
    const sent = await Promise.all(Array.from({ length: 30 }, () => sendCode(uniqueEmail(), ip)));
    expect(sent.every((res) => res.body.status === "success")).toBe(true);
    const email = uniqueEmail();
    expect((await sendCode(email, ip)).body).toEqual({
      status: "failed",
      code: "RATE_LIMITED",
      msg: "当前网络获取验证码过于频繁，请一小时后再试",
    });
    expect(app.smtp.to(email)).toHaveLength(0);
    expect((await sendCode(email, freshIp())).body.status).toBe("success");
    moveToNextPeriod(3_600_000, 60_000);
    expect((await sendCode(uniqueEmail(), ip)).body.status).toBe("success");
  });

  it("answers MAIL_FAILED when the mail cannot be sent, and keeps no code that was never mailed", async () => {
    const email = uniqueEmail();
    const delivered = await requestCode(app, email);
    app.clock.advance(codeMailCooldownMs);
    const working = app.deps.mailer;
    app.deps.mailer = createSmtpMailer(`smtp://127.0.0.1:${await closedPort()}`, "Ocean1 <no-reply@ocean1.local>");
    try {
      expect((await sendCode(email)).body).toEqual({ status: "failed", code: "MAIL_FAILED", msg: "邮件发送失败，请稍后再试" });
    } finally {
      app.deps.mailer = working;
    }
    const rows = await app.deps.db.selectFrom("verification_codes").select("id").where("email", "=", email).execute();
    expect(rows).toHaveLength(1);
    // The code that did arrive is still the newest, so it still works.
    const res = await app.post("/api/auth/register", { email, password: "long enough pw", nickname: "Billy", verify_code: delivered });
    expect(res.body.status).toBe("success");
  });

  it("refuses a malformed email with VALIDATION naming the field", async () => {
    const res = await sendCode("not an email");
    expect(res).toEqual({ status: 200, body: { status: "failed", code: "VALIDATION", field: "email", msg: "邮箱格式不正确" } });
  });
});
