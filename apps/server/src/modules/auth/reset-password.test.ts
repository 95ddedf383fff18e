import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountTestEnv, heartbeat, logIn, logInOnNewDevice, newDeviceId, requestCode, signUp, uniqueEmail } from "../../test/accounts.js";
import { startTestApp, type TestApp } from "../../test/app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp(accountTestEnv);
});
afterAll(() => app.close());

const reset = (email: string, password: string, verifyCode: string) =>
  app.post("/api/auth/reset_password", { email, password, verify_code: verifyCode });
const otherThan = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

describe("reset_password", () => {
  it("sets the new password and ends every session, while trusted devices stay trusted", async () => {
    const account = await signUp(app);
    const laptop = newDeviceId();
    expect((await logInOnNewDevice(app, account, laptop)).status).toBe("success");
    expect((await heartbeat(app, account.email, laptop)).body.status).toBe("ok");

    const code = await requestCode(app, account.email);
    expect(await reset(account.email, "brand new password", code)).toEqual({
      status: 200,
      body: { status: "success", msg: "密码重置成功" },
    });

    expect((await heartbeat(app, account.email, laptop)).body).toEqual({ status: "rejected" });
    const sessions = await app.deps.db
      .selectFrom("sessions")
      .innerJoin("users", "users.id", "sessions.user_id")
      .select("users.id")
      .where("users.email", "=", account.email)
      .execute();
    expect(sessions).toEqual([]);
    expect((await logIn(app, account, laptop)).body.code).toBe("WRONG_PASSWORD");
    for (const device of [laptop, account.deviceId]) {
      expect((await logIn(app, { email: account.email, password: "brand new password" }, device)).body.status).toBe("success");
    }
  });

  it("refuses a wrong code with CODE_INVALID and keeps the old password", async () => {
    const account = await signUp(app);
    const code = await requestCode(app, account.email);
    expect((await reset(account.email, "brand new password", otherThan(code))).body).toMatchObject({
      status: "failed",
      code: "CODE_INVALID",
    });
    expect((await logIn(app, account, account.deviceId)).body.status).toBe("success");
  });

  it("answers an unknown email like a wrong code, without revealing that it is not registered", async () => {
    const account = await signUp(app);
    const registeredCode = await requestCode(app, account.email);
    const forRegistered = await reset(account.email, "brand new password", otherThan(registeredCode));
    const forUnknown = await reset(uniqueEmail(), "brand new password", "123456");
    expect(forUnknown).toEqual(forRegistered);
  });

  it("says EMAIL_NOT_REGISTERED only to the holder of a valid code, whose code then still registers", async () => {
    const email = uniqueEmail();
    const code = await requestCode(app, email);
    expect((await reset(email, "brand new password", code)).body).toEqual({
      status: "failed",
      code: "EMAIL_NOT_REGISTERED",
      msg: "该邮箱尚未注册",
    });
    const registered = await app.post("/api/auth/register", {
      email,
      password: "brand new password",
      nickname: "Billy",
      verify_code: code,
    });
    expect(registered.body.status).toBe("success");
  });

  it("refuses a new password outside 8-128 characters with VALIDATION naming it", async () => {
    for (const password of ["short", "x".repeat(129)]) {
      const res = await reset(uniqueEmail(), password, "123456");
      expect(res).toEqual({
        status: 200,
        body: { status: "failed", code: "VALIDATION", field: "password", msg: "密码长度需为 8–128 个字符" },
      });
    }
  });
});
