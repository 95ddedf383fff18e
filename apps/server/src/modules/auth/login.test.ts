import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountTestEnv, codeMailCooldownMs, freshIp, heartbeat, logIn, newDeviceId, signUp, uniqueEmail } from "../../test/accounts.js";
import { startTestApp, type TestApp } from "../../test/app.js";
import { loginFailuresPerIp } from "./limits.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ ...accountTestEnv, REGISTER_BONUS_POINTS: "20" });
});
afterAll(() => app.close());

const wrongPassword = { status: "failed", code: "WRONG_PASSWORD", msg: "邮箱或密码错误" };
/** A fresh 15-minute failure window, so that a test's failures all fall into one. */
const startOfFailureWindow = () => app.clock.set(new Date(Math.ceil(app.clock.now().getTime() / 900_000) * 900_000 + 1_000));
const disable = (email: string) =>
  app.deps.db.updateTable("users").set({ disabled_at: app.clock.now() }).where("email", "=", email).execute();

describe("login", () => {
  it("signs up, logs in on the registering device without a code, verifies a new device, and heartbeats; no answer carries a secret", async () => {
    const answers: unknown[] = [];
    const email = uniqueEmail();
    const password = "my secret password";
    const [phone, laptop] = [newDeviceId(), newDeviceId()];
    answers.push((await app.post("/api/auth/send_code", { email }, { "x-device-id": phone })).body);
    const signUpCode = await app.smtp.latestCode(email);
    const registered = await app.post(
      "/api/auth/register",
      { email, password, nickname: "Billy", invite_code: "", verify_code: signUpCode },
      { "x-device-id": phone },
    );
    answers.push(registered.body);
    expect(registered.body).toEqual({ status: "success", msg: "注册成功" });

    const first = await logIn(app, { email, password }, phone);
    answers.push(first.body);
    expect(first.body).toEqual({
      status: "success",
      data: { nickname: "Billy", email, points: 20, invite_code: expect.stringMatching(/^[A-Z0-9]{8}$/) },
    });
    expect(app.smtp.to(email)).toHaveLength(1);

    app.clock.advance(codeMailCooldownMs);
    const second = await logIn(app, { email, password }, laptop);
    answers.push(second.body);
    expect(second.body).toMatchObject({ status: "NEED_VERIFY" });
    expect(second.body.data).toBeUndefined();
    const loginCode = await app.smtp.latestCode(email);
    expect(app.smtp.to(email).at(-1)?.text).toContain("新设备");
    const verified = await app.post("/api/auth/login_verify", { email, code: loginCode, device_id: laptop }, { "x-device-id": laptop });
    answers.push(verified.body);
    expect(verified.body).toEqual(first.body);

    const beat = await heartbeat(app, email, laptop);
    answers.push(beat.body);
    expect(beat.body).toEqual({ status: "ok", has_reward: false });

    const serialized = JSON.stringify(answers);
    for (const secret of [password, signUpCode, loginCode, phone, laptop]) expect(serialized).not.toContain(secret);
  });

  it("answers an unknown email exactly like a wrong password", async () => {
    const account = await signUp(app);
    const wrong = await logIn(app, { email: account.email, password: "not the password" }, account.deviceId);
    const unknown = await logIn(app, { email: uniqueEmail(), password: "not the password" }, account.deviceId);
    expect(wrong).toEqual({ status: 200, body: wrongPassword });
    expect(unknown).toEqual(wrong);
  });

  it("refuses even the right password on an untrusted device for 15 minutes after 10 failures for one email", async () => {
    const account = await signUp(app);
    const [stranger, newLaptop] = [newDeviceId(), newDeviceId()];
    startOfFailureWindow();
    for (let i = 0; i < 10; i++)
      expect((await logIn(app, { email: account.email, password: `wrong ${i}` }, stranger)).body).toEqual(wrongPassword);
    const throttled = await logIn(app, account, newLaptop);
    expect(throttled.body).toMatchObject({ status: "failed", code: "RATE_LIMITED", msg: expect.stringContaining("15 分钟") });
    app.clock.advance(15 * 60_000);
    expect((await logIn(app, account, newLaptop)).body.status).toBe("NEED_VERIFY");
  });

  it("lets the owner's trusted device log in through a per-email lockout that strangers caused", async () => {
    const account = await signUp(app);
    startOfFailureWindow();
    await Promise.all(Array.from({ length: 12 }, (_, i) => logIn(app, { email: account.email, password: `stranger ${i}` }, newDeviceId())));
    expect((await logIn(app, account, newDeviceId())).body.code).toBe("RATE_LIMITED");
    expect((await logIn(app, account, account.deviceId)).body).toMatchObject({ status: "success", data: { email: account.email } });
    expect((await logIn(app, { email: account.email, password: "owner typo" }, account.deviceId)).body).toEqual(wrongPassword);
    expect((await logIn(app, account, account.deviceId)).body.status).toBe("success");
  });

  it("lets exactly 10 of 40 concurrent wrong passwords for one email be tried; the other 30 are RATE_LIMITED", async () => {
    const account = await signUp(app);
    startOfFailureWindow();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => logIn(app, { email: account.email, password: `burst ${i}` }, newDeviceId())),
    );
    const codes = answers.map((res) => res.body.code);
    expect(codes.filter((code) => code === "WRONG_PASSWORD")).toHaveLength(10);
    expect(codes.filter((code) => code === "RATE_LIMITED")).toHaveLength(30);
  });

  it("gives a successful login's slot back: the right password never counts as a failure", async () => {
    const account = await signUp(app);
    const stranger = newDeviceId();
    startOfFailureWindow();
    for (let i = 0; i < 12; i++) expect((await logIn(app, account, account.deviceId)).body.status).toBe("success");
    for (let i = 0; i < 10; i++)
      expect((await logIn(app, { email: account.email, password: `wrong ${i}` }, stranger)).body).toEqual(wrongPassword);
    expect((await logIn(app, account, stranger)).body.code).toBe("RATE_LIMITED");
  });

  it(`refuses logins from an IP after ${loginFailuresPerIp} failures across emails, but not from another IP`, async () => {
    const account = await signUp(app);
    startOfFailureWindow();
    const ip = freshIp();
    for (let batch = 0; batch < loginFailuresPerIp / 20; batch++) {
      const failures = await Promise.all(
        Array.from({ length: 20 }, () => logIn(app, { email: uniqueEmail(), password: "guess" }, newDeviceId(), ip)),
      );
      expect(failures.every((res) => res.body.code === "WRONG_PASSWORD")).toBe(true);
    }
    expect((await logIn(app, account, account.deviceId, ip)).body.code).toBe("RATE_LIMITED");
    expect((await logIn(app, account, account.deviceId, freshIp())).body.status).toBe("success");
  });

  it("says ACCOUNT_DISABLED only after the right password, at login and at login_verify", async () => {
    const account = await signUp(app);
    const newDevice = newDeviceId();
    expect((await logIn(app, account, newDevice)).body.status).toBe("NEED_VERIFY");
    const code = await app.smtp.latestCode(account.email);
    await disable(account.email);
    expect((await logIn(app, { email: account.email, password: "wrong password" }, account.deviceId)).body).toEqual(wrongPassword);
    expect((await logIn(app, account, account.deviceId)).body).toMatchObject({ status: "failed", code: "ACCOUNT_DISABLED" });
    const verify = await app.post("/api/auth/login_verify", { email: account.email, code, device_id: newDevice });
    expect(verify.body).toMatchObject({ status: "failed", code: "ACCOUNT_DISABLED" });
    expect((await heartbeat(app, account.email, newDevice)).body).toEqual({ status: "rejected" });
  });

  it("refuses a device_id of 'server' or shorter than 8 characters with INVALID_DEVICE, asking for the browser", async () => {
    const account = await signUp(app);
    for (const deviceId of ["server", "1234567", ""]) {
      const res = await app.post("/api/auth/login", {
        email: account.email,
        password: account.password,
        device_id: deviceId,
        version: "1.0.0",
      });
      expect(res).toEqual({ status: 200, body: { status: "failed", code: "INVALID_DEVICE", msg: expect.stringContaining("浏览器") } });
    }
  });

  it("refuses a missing device_id with VALIDATION naming the field", async () => {
    const account = await signUp(app);
    const res = await app.post("/api/auth/login", { email: account.email, password: account.password, version: "1.0.0" });
    expect(res).toEqual({
      status: 200,
      body: { status: "failed", code: "VALIDATION", field: "device_id", msg: "缺少设备标识，请在浏览器中登录" },
    });
  });

  it("accepts any version, or none, while MIN_CLIENT_VERSION is unset", async () => {
    const account = await signUp(app);
    for (const version of [undefined, "0.0.1", "garbage"]) {
      const res = await app.post("/api/auth/login", {
        email: account.email,
        password: account.password,
        device_id: account.deviceId,
        version,
      });
      expect(res.body.status).toBe("success");
    }
  });
});

describe("MIN_CLIENT_VERSION", () => {
  let versioned: TestApp;
  beforeAll(async () => {
    versioned = await startTestApp({ ...accountTestEnv, MIN_CLIENT_VERSION: "1.2.0" });
  });
  afterAll(() => versioned.close());

  it("refuses an older, missing or unreadable version before checking the password, and accepts the minimum or newer", async () => {
    const account = await signUp(versioned);
    const login = (version: string | undefined, password = account.password) =>
      versioned.post("/api/auth/login", { email: account.email, password, device_id: account.deviceId, version });
    for (const version of ["1.1.9", "1.2.0-beta.1", undefined, "garbage", "1.2"]) {
      const res = await login(version);
      expect(res.body).toEqual({ status: "failed", code: "CLIENT_OUTDATED", msg: expect.stringContaining("1.2.0") });
    }
    expect((await login("1.0.0", "wrong password")).body.code).toBe("CLIENT_OUTDATED");
    for (const version of ["1.2.0", "1.10.0", "2.0.0"]) expect((await login(version)).body.status).toBe("success");
  });
});
