import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountTestEnv, freshIp, requestCode, signUp, uniqueEmail } from "../../test/accounts.js";
import { startTestApp, type TestApp } from "../../test/app.js";
import { createOperatorInvite, type OperatorInviteOptions } from "../invites/service.js";

const password = "long enough password";

function helpers(app: () => TestApp) {
  const register = async (inviteCode: string | undefined, email = uniqueEmail()) => {
    const verifyCode = await requestCode(app(), email);
    const res = await app().post(
      "/api/auth/register",
      { email, password, nickname: "Billy", invite_code: inviteCode, verify_code: verifyCode },
      { "x-forwarded-for": freshIp() },
    );
    return { email, verifyCode, body: res.body };
  };
  const createInvite = (options: OperatorInviteOptions = {}) => createOperatorInvite(app().deps.db, options, app().clock.now());
  const invite = (id: number) => app().deps.db.selectFrom("invite_codes").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const user = (email: string) => app().deps.db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
  const personalCodeOf = async (email: string) => {
    const owner = await user(email);
    return app().deps.db.selectFrom("invite_codes").selectAll().where("owner_user_id", "=", owner!.id).executeTakeFirstOrThrow();
  };
  const ledgerOf = async (email: string) => {
    const owner = await user(email);
    return app()
      .deps.db.selectFrom("ledger")
      .select(["type", "amount", "balance_after", "description", "ref"])
      .where("user_id", "=", owner!.id)
      .orderBy("id")
      .execute();
  };
  return { register, createInvite, invite, user, personalCodeOf, ledgerOf };
}

describe("INVITE_POLICY=optional (the default)", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ ...accountTestEnv, INVITE_BONUS_POINTS: "7" });
  });
  afterAll(() => app.close());
  const { register, createInvite, invite, user, personalCodeOf, ledgerOf } = helpers(() => app);

  it("registers without an invite code, or with an empty one", async () => {
    for (const code of [undefined, "", "   "]) {
      const res = await register(code);
      expect(res.body.status).toBe("success");
      expect((await user(res.email))?.invited_by_code_id).toBeNull();
    }
  });

  it("applies an operator code typed in any case with spaces: one use counted, the user linked to it", async () => {
    const created = await createInvite({ code: "SPRING-2030" });
    const res = await register("  spring-2030 ");
    expect(res.body.status).toBe("success");
    expect((await invite(created.id)).uses).toBe(1);
    expect((await user(res.email))?.invited_by_code_id).toBe(created.id);
    expect(await ledgerOf(res.email)).toEqual([expect.objectContaining({ type: "register" })]);
  });

  it("refuses an unknown code with INVITE_INVALID, writing nothing and leaving the verification code usable", async () => {
    const res = await register("NO-SUCH-CODE");
    expect(res.body).toEqual({ status: "failed", code: "INVITE_INVALID", msg: "邀请码无效" });
    expect(await user(res.email)).toBeUndefined();
    const retry = await app.post("/api/auth/register", { email: res.email, password, nickname: "Billy", verify_code: res.verifyCode });
    expect(retry.body.status).toBe("success");
  });

  it("refuses a disabled code with INVITE_INVALID", async () => {
    const created = await createInvite();
    await app.deps.db.updateTable("invite_codes").set({ disabled_at: app.clock.now() }).where("id", "=", created.id).execute();
    expect((await register(created.code)).body.code).toBe("INVITE_INVALID");
    expect((await invite(created.id)).uses).toBe(0);
  });

  it("refuses an expired code with INVITE_EXPIRED", async () => {
    const created = await createInvite({ expiresAt: new Date(app.clock.now().getTime() + 3_600_000) });
    app.clock.advance(3_600_000);
    expect((await register(created.code)).body).toEqual({ status: "failed", code: "INVITE_EXPIRED", msg: "邀请码已过期" });
  });

  it("refuses a used-up code with INVITE_EXHAUSTED", async () => {
    const created = await createInvite({ maxUses: 1 });
    expect((await register(created.code)).body.status).toBe("success");
    expect((await register(created.code)).body).toEqual({ status: "failed", code: "INVITE_EXHAUSTED", msg: "邀请码已达使用上限" });
    expect((await invite(created.id)).uses).toBe(1);
  });

  it("credits the owner of a personal code INVITE_BONUS_POINTS in an invite ledger row", async () => {
    const inviter = await signUp(app);
    const personal = await personalCodeOf(inviter.email);
    const res = await register(personal.code.toLowerCase());
    expect(res.body.status).toBe("success");
    const invitee = await user(res.email);
    expect(invitee?.invited_by_code_id).toBe(personal.id);
    expect(await ledgerOf(inviter.email)).toEqual([
      { type: "register", amount: 0, balance_after: 0, description: "注册赠送", ref: null },
      { type: "invite", amount: 7, balance_after: 7, description: "邀请好友奖励", ref: `user:${invitee!.id}` },
    ]);
    expect(await ledgerOf(res.email)).toEqual([expect.objectContaining({ type: "register", amount: 0 })]);
  });

  it("refuses the personal code of a disabled account with INVITE_INVALID", async () => {
    const inviter = await signUp(app);
    const personal = await personalCodeOf(inviter.email);
    await app.deps.db.updateTable("users").set({ disabled_at: app.clock.now() }).where("email", "=", inviter.email).execute();
    expect((await register(personal.code)).body.code).toBe("INVITE_INVALID");
    expect(await ledgerOf(inviter.email)).toHaveLength(1);
  });

  it("never lets more registrations than max_uses use a code, even ten at once", async () => {
    const created = await createInvite({ maxUses: 3 });
    const emails = Array.from({ length: 10 }, () => uniqueEmail("race"));
    const codes = await Promise.all(emails.map((email) => requestCode(app, email)));
    const answers = await Promise.all(
      emails.map((email, i) =>
        app.post(
          "/api/auth/register",
          { email, password, nickname: "Billy", invite_code: created.code, verify_code: codes[i] },
          { "x-forwarded-for": freshIp() },
        ),
      ),
    );
    expect(answers.filter((a) => a.body.status === "success")).toHaveLength(3);
    expect(answers.filter((a) => a.body.code === "INVITE_EXHAUSTED")).toHaveLength(7);
    expect((await invite(created.id)).uses).toBe(3);
    const linked = await app.deps.db.selectFrom("users").select("id").where("invited_by_code_id", "=", created.id).execute();
    expect(linked).toHaveLength(3);
    const registered = await app.deps.db.selectFrom("users").select("id").where("email", "in", emails).execute();
    expect(registered).toHaveLength(3);
  });
});

describe("INVITE_POLICY=required", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ ...accountTestEnv, INVITE_POLICY: "required" });
  });
  afterAll(() => app.close());
  const { register, createInvite, user, ledgerOf } = helpers(() => app);

  it("refuses a registration without an invite code, or with an empty one, with INVITE_REQUIRED", async () => {
    for (const code of [undefined, "", "  "]) {
      const res = await register(code);
      expect(res.body).toEqual({ status: "failed", code: "INVITE_REQUIRED", msg: "注册需要邀请码" });
      expect(await user(res.email)).toBeUndefined();
    }
  });

  it("registers with a valid code, and an inviter bonus of 0 writes no invite row", async () => {
    const operatorCode = await createInvite();
    const inviter = await register(operatorCode.code);
    expect(inviter.body.status).toBe("success");
    const { code: personal } = await app.deps.db
      .selectFrom("invite_codes")
      .select("code")
      .where("owner_user_id", "=", (await user(inviter.email))!.id)
      .executeTakeFirstOrThrow();
    expect((await register(personal)).body.status).toBe("success");
    expect(await ledgerOf(inviter.email)).toEqual([{ type: "register", amount: 0, balance_after: 0, description: "注册赠送", ref: null }]);
  });

  it("refuses an unknown code with INVITE_INVALID", async () => {
    expect((await register("NOPE-NOPE")).body.code).toBe("INVITE_INVALID");
  });
});

describe("INVITE_POLICY=off", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ ...accountTestEnv, INVITE_POLICY: "off", INVITE_BONUS_POINTS: "7" });
  });
  afterAll(() => app.close());
  const { register, createInvite, invite, user } = helpers(() => app);

  it("ignores any invite code: an unknown one registers, a valid one is not used", async () => {
    expect((await register("NO-SUCH-CODE")).body.status).toBe("success");
    const created = await createInvite({ maxUses: 1 });
    const res = await register(created.code);
    expect(res.body.status).toBe("success");
    expect((await user(res.email))?.invited_by_code_id).toBeNull();
    expect((await invite(created.id)).uses).toBe(0);
  });
});
