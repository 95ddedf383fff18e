import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountTestEnv, codeMailCooldownMs, freshIp, logIn, newDeviceId, requestCode, signUp, uniqueEmail } from "../../test/accounts.js";
import { startTestApp, type TestApp } from "../../test/app.js";
import { inviteAlphabet } from "../invites/codes.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ ...accountTestEnv, REGISTER_BONUS_POINTS: "5" });
});
afterAll(() => app.close());

const password = "correct horse battery";

function register(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return app.post("/api/auth/register", { password, nickname: "小明", ...body }, { "x-forwarded-for": freshIp(), ...headers });
}

const userByEmail = (email: string) => app.deps.db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();

describe("register", () => {
  it("creates the user with its sign-up ledger row, a personal invite code and the registering device trusted", async () => {
    const email = uniqueEmail();
    const deviceId = newDeviceId();
    const code = await requestCode(app, email);
    const res = await register({ email, verify_code: code }, { "x-device-id": deviceId });
    expect(res).toEqual({ status: 200, body: { status: "success", msg: "注册成功" } });

    const user = await userByEmail(email);
    expect(user).toMatchObject({ nickname: "小明", points: 5, invited_by_code_id: null, disabled_at: null });
    expect(user?.password_hash).toMatch(/^\$argon2id\$/);
    const ledger = await app.deps.db.selectFrom("ledger").selectAll().where("user_id", "=", user!.id).execute();
    expect(ledger).toEqual([
      expect.objectContaining({ type: "register", amount: 5, balance_after: 5, description: "注册赠送", ref: null }),
    ]);
    const invite = await app.deps.db.selectFrom("invite_codes").selectAll().where("owner_user_id", "=", user!.id).executeTakeFirstOrThrow();
    expect(invite.code).toMatch(new RegExp(`^[${inviteAlphabet}]{8}$`));
    expect(invite).toMatchObject({ max_uses: null, expires_at: null, uses: 0 });
    const trusted = await app.deps.db.selectFrom("trusted_devices").selectAll().where("user_id", "=", user!.id).execute();
    expect(trusted).toHaveLength(1);
    expect(trusted[0]?.device_hash).not.toContain(deviceId);

    const login = await logIn(app, { email, password }, deviceId);
    expect(login.body).toEqual({ status: "success", data: { nickname: "小明", email, points: 5, invite_code: invite.code } });
  });

  it("trusts no device when x-device-id is missing, so the first login needs a code", async () => {
    const email = uniqueEmail();
    const code = await requestCode(app, email);
    expect((await register({ email, verify_code: code }, {})).body.status).toBe("success");
    const user = await userByEmail(email);
    const trusted = await app.deps.db.selectFrom("trusted_devices").select("user_id").where("user_id", "=", user!.id).execute();
    expect(trusted).toEqual([]);
    app.clock.advance(codeMailCooldownMs);
    expect((await logIn(app, { email, password }, "server-like-but-long")).body).toMatchObject({ status: "NEED_VERIFY" });
  });

  it("refuses an x-device-id of 'server' or shorter than 8 characters with INVALID_DEVICE, keeping the code", async () => {
    for (const headers of [{ "x-device-id": "server" }, { "x-device-id": "short" }]) {
      const email = uniqueEmail();
      const code = await requestCode(app, email);
      const res = await register({ email, verify_code: code }, headers);
      expect(res).toEqual({ status: 200, body: { status: "failed", code: "INVALID_DEVICE", msg: expect.stringContaining("浏览器") } });
      expect(await userByEmail(email)).toBeUndefined();
      app.clock.advance(codeMailCooldownMs);
    }
  });

  it("refuses a wrong code with CODE_INVALID, writes nothing and counts the try", async () => {
    const email = uniqueEmail();
    const code = await requestCode(app, email);
    const wrong = code === "000000" ? "000001" : "000000";
    const res = await register({ email, verify_code: wrong });
    expect(res).toEqual({ status: 200, body: { status: "failed", code: "CODE_INVALID", msg: "验证码错误或已失效" } });
    expect(await userByEmail(email)).toBeUndefined();
    const row = await app.deps.db.selectFrom("verification_codes").selectAll().where("email", "=", email).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ attempts: 1, consumed_at: null });
  });

  it("consumes the code: the same code cannot register twice", async () => {
    const email = uniqueEmail();
    const code = await requestCode(app, email);
    expect((await register({ email, verify_code: code })).body.status).toBe("success");
    const again = await register({ email, verify_code: code });
    expect(again.body).toMatchObject({ status: "failed", code: "CODE_INVALID" });
  });

  it("answers EMAIL_TAKEN for a registered email and leaves the new code unconsumed", async () => {
    const account = await signUp(app);
    const code = await requestCode(app, account.email);
    const res = await register({ email: account.email, verify_code: code });
    expect(res.body).toEqual({ status: "failed", code: "EMAIL_TAKEN", msg: "该邮箱已注册" });
    const users = await app.deps.db.selectFrom("users").select("id").where("email", "=", account.email).execute();
    expect(users).toHaveLength(1);
    // The code still works for something that can succeed with it.
    const reset = await app.post("/api/auth/reset_password", { email: account.email, password: "a new password", verify_code: code });
    expect(reset.body).toEqual({ status: "success", msg: "密码重置成功" });
  });

  it("creates exactly one user when two registrations of one email race", async () => {
    const email = uniqueEmail();
    const code = await requestCode(app, email);
    const answers = await Promise.all([register({ email, verify_code: code }), register({ email, verify_code: code })]);
    expect(answers.map((a) => a.body.status).sort()).toEqual(["failed", "success"]);
    expect(["CODE_INVALID", "EMAIL_TAKEN"]).toContain(answers.find((a) => a.body.status === "failed")?.body.code);
    const users = await app.deps.db.selectFrom("users").select("id").where("email", "=", email).execute();
    expect(users).toHaveLength(1);
  });

  it("trims and lower-cases the email everywhere", async () => {
    const email = uniqueEmail("mixed");
    await app.post("/api/auth/send_code", { email: `  ${email.toUpperCase()} ` });
    const code = await app.smtp.latestCode(email);
    expect((await register({ email: ` ${email.toUpperCase()}`, verify_code: code })).body.status).toBe("success");
    expect(await userByEmail(email)).toBeDefined();
    app.clock.advance(codeMailCooldownMs);
    expect((await logIn(app, { email: email.toUpperCase(), password }, newDeviceId())).body.status).toBe("NEED_VERIFY");
  });

  it("answers a malformed field with HTTP 200, code VALIDATION, a Chinese sentence and the field beside the code", async () => {
    const valid = { email: uniqueEmail(), password, nickname: "Billy", verify_code: "123456" };
    const cases: [Record<string, unknown>, string][] = [
      [{ email: "not-an-email" }, "email"],
      [{ password: "short" }, "password"],
      [{ password: "x".repeat(129) }, "password"],
      [{ nickname: "" }, "nickname"],
      [{ nickname: "x".repeat(33) }, "nickname"],
      [{ verify_code: "12ab56" }, "verify_code"],
    ];
    for (const [change, field] of cases) {
      const res = await app.post("/api/auth/register", { ...valid, ...change });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: "failed", code: "VALIDATION" });
      expect(res.body.field).toBe(field);
      expect(res.body.msg).toMatch(/[\u4e00-\u9fff]/);
      expect(res.body.msg).not.toMatch(/[A-Za-z_]{3,}/);
    }
    expect(await userByEmail(valid.email)).toBeUndefined();
  });

  it("refuses invisible, bidi-override and control-character nicknames and stores nothing, keeping the code usable", async () => {
    const email = uniqueEmail();
    const code = await requestCode(app, email);
    for (const nickname of ["\u200B\u200B", "\u202Eevil\u202C", "a\u0085b", "bell\u0007", "line\u2028break"]) {
      const res = await register({ email, nickname, verify_code: code });
      expect(res.body).toMatchObject({
        status: "failed",
        code: "VALIDATION",
        msg: expect.stringContaining("昵称不能包含不可见字符或控制字符"),
      });
    }
    expect(await userByEmail(email)).toBeUndefined();
    expect((await register({ email, nickname: "  Cafe\u0301 ", verify_code: code })).body.status).toBe("success");
    expect((await userByEmail(email))?.nickname).toBe("Caf\u00e9");
  });
});
