import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../../cli/output.js";
import { startTestApp, type TestApp } from "../../test/app.js";
import { runCommand } from "../../test/cli.js";
import { createTestUser, pointsOf, type TestUser } from "../../test/fixtures.js";
import { hashDeviceId, startSession } from "../auth/sessions.js";
import { checkLedger } from "../points/ledger-check.js";
import { usersAdjustPointsCommand, usersDisableCommand, usersListCommand, usersShowCommand } from "./commands.js";
import type { UserDetails } from "./operator.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const ledgerRowsOf = (user: TestUser) =>
  app.deps.db.selectFrom("ledger").selectAll().where("user_id", "=", user.id).orderBy("id", "desc").execute();

const adjust = (email: string, amount: string, reason = "客服补偿", json = true) =>
  runCommand(usersAdjustPointsCommand, app.deps, { args: [email], options: { amount, reason }, json });

describe("users list", () => {
  it("lists users with their snake_case columns, oldest first, and honours --limit", async () => {
    const [first, second] = [await createTestUser(app.deps, { points: 3 }), await createTestUser(app.deps)];
    const listed = (await runCommand(usersListCommand, app.deps, { json: true })).json as Record<string, unknown>[];
    const mine = listed.filter((row) => row.email === first.email || row.email === second.email);
    expect(mine).toEqual([
      { id: first.id, email: first.email, nickname: "Tester", points: 3, disabled_at: null, created_at: expect.any(Date) },
      { id: second.id, email: second.email, nickname: "Tester", points: 0, disabled_at: null, created_at: expect.any(Date) },
    ]);
    expect((await runCommand(usersListCommand, app.deps, { options: { limit: "1" }, json: true })).json).toHaveLength(1);
    await expect(runCommand(usersListCommand, app.deps, { options: { limit: "zero" } })).rejects.toBeInstanceOf(UsageError);
  });
});

describe("users show", () => {
  it("shows the account, its personal invite code, devices, session and latest ledger rows", async () => {
    const user = await createTestUser(app.deps, { points: 20, inviteCode: "SHOW1234", nickname: "小明" });
    const shown = (await runCommand(usersShowCommand, app.deps, { args: [`  ${user.email.toUpperCase()}`], json: true }))
      .json as UserDetails;
    expect(shown).toMatchObject({
      id: user.id,
      email: user.email,
      nickname: "小明",
      points: 20,
      invite_code: "SHOW1234",
      disabled: false,
      trusted_devices: 1,
      session_active: true,
    });
    expect(shown.recent_ledger).toEqual([expect.objectContaining({ type: "register", amount: 20, balance_after: 20 })]);
    const text = (await runCommand(usersShowCommand, app.deps, { args: [user.email] })).text;
    expect(text).toMatch(/invite_code\s+SHOW1234/);
    expect(text).toContain("注册赠送");
  });

  it("shows no invite code for a user without one, and no active session once it idles out", async () => {
    const user = await createTestUser(app.deps);
    app.clock.advance(app.deps.config.sessionIdleDays * 86_400_000 + 1);
    const shown = (await runCommand(usersShowCommand, app.deps, { args: [user.email], json: true })).json as UserDetails;
    expect(shown).toMatchObject({ invite_code: null, session_active: false });
  });

  it("refuses an unknown email with a clear message", async () => {
    await expect(runCommand(usersShowCommand, app.deps, { args: ["nobody@example.com"] })).rejects.toMatchObject({
      code: "EMAIL_NOT_REGISTERED",
      userMessage: expect.stringContaining("nobody@example.com"),
    });
  });
});

describe("users adjust-points", () => {
  it("credits through the ledger as type adjust, with the reason, visible in the user's history", async () => {
    const user = await createTestUser(app.deps, { points: 10 });
    const result = await adjust(user.email, "50", "活动奖励");
    expect(result.json).toMatchObject({ email: user.email, amount: 50, balance_after: 60, description: "运营调整：活动奖励" });
    const [row] = await ledgerRowsOf(user);
    expect(row).toMatchObject({ type: "adjust", amount: 50, balance_after: 60, description: "运营调整：活动奖励", ref: "operator" });
    const history = await app.get("/api/user/history", user.headers);
    expect(history.body.data[0]).toMatchObject({ type: "adjust", amount: 50, balance_after: 60 });
  });

  it("debits with a negative amount", async () => {
    const user = await createTestUser(app.deps, { points: 40 });
    const result = await adjust(user.email, "-30", "误充扣回", false);
    expect(result.text).toBe(`${user.email}: -30 points, balance now 10 (ledger row ${(await ledgerRowsOf(user))[0]?.id})`);
    expect(await pointsOf(app.deps, user.id)).toBe(10);
  });

  it("refuses to take the balance below 0, saying what the balance is, and changes nothing", async () => {
    const user = await createTestUser(app.deps, { points: 30 });
    await expect(adjust(user.email, "-31")).rejects.toMatchObject({
      code: "INSUFFICIENT_POINTS",
      userMessage: expect.stringContaining("当前余额 30"),
    });
    expect(await pointsOf(app.deps, user.id)).toBe(30);
    expect(await ledgerRowsOf(user)).toHaveLength(1);
    expect((await adjust(user.email, "-30")).json).toMatchObject({ balance_after: 0 });
  });

  it("keeps the balance equal to its ledger through credits and debits", async () => {
    const user = await createTestUser(app.deps, { points: 5 });
    for (const amount of ["20", "-7", "3", "-21"]) await adjust(user.email, amount);
    expect(await pointsOf(app.deps, user.id)).toBe(0);
    expect(await checkLedger(app.deps.db)).toMatchObject({ ok: true, offenders: [] });
  });

  it.each([
    [{ amount: "0", reason: "x" }, /--amount: 调整积分应为非 0 整数，绝对值不超过 1000000/],
    [{ amount: "ten", reason: "x" }, /--amount must be a whole number/],
    [{ amount: "2.5", reason: "x" }, /--amount must be a whole number/],
    [{ amount: "100000000", reason: "x" }, /--amount: 调整积分应为非 0 整数，绝对值不超过 1000000/],
    [{ amount: "5", reason: "refund\u001b]0;owned\u0007" }, /--reason: 调整原因不能包含不可见字符或控制字符/],
    [{ amount: "5", reason: "x".repeat(201) }, /--reason: 调整原因最多 200 个字符/],
    [{ reason: "x" }, /--amount is required/],
    [{ amount: "5" }, /--reason is required/],
    [{ amount: "5", reason: "   " }, /--reason is required/],
  ])("refuses %o with a usage error", async (options, message) => {
    const user = await createTestUser(app.deps, { points: 1 });
    await expect(runCommand(usersAdjustPointsCommand, app.deps, { args: [user.email], options })).rejects.toThrow(message);
    expect(await ledgerRowsOf(user)).toHaveLength(1);
  });

  it("refuses an unknown email", async () => {
    await expect(adjust("ghost@example.com", "5")).rejects.toMatchObject({ code: "EMAIL_NOT_REGISTERED" });
  });
});

describe("users disable", () => {
  it("ends the user's session at once: the next call is UNAUTHENTICATED", async () => {
    const user = await createTestUser(app.deps, { points: 5 });
    expect((await app.get("/api/user/history", user.headers)).body.status).toBe("success");
    const result = await runCommand(usersDisableCommand, app.deps, { args: [user.email], json: true });
    expect(result.json).toEqual({ id: user.id, email: user.email, disabled_at: app.clock.now(), already_disabled: false });
    expect(await app.deps.db.selectFrom("sessions").select("user_id").where("user_id", "=", user.id).execute()).toEqual([]);
    expect((await app.get("/api/user/history", user.headers)).body).toMatchObject({ status: "failed", code: "UNAUTHENTICATED" });
    const shown = (await runCommand(usersShowCommand, app.deps, { args: [user.email], json: true })).json as UserDetails;
    expect(shown).toMatchObject({ disabled: true, session_active: false, points: 5 });
  });

  it("keeps a disabled user out even if a session row reappears", async () => {
    const user = await createTestUser(app.deps);
    await runCommand(usersDisableCommand, app.deps, { args: [user.email] });
    await app.deps.db
      .transaction()
      .execute((trx) => startSession(trx, user.id, hashDeviceId(app.deps.secret, user.deviceId), app.clock.now()));
    expect((await app.get("/api/user/history", user.headers)).body.code).toBe("UNAUTHENTICATED");
  });

  it("is idempotent: disabling twice keeps the first time", async () => {
    const user = await createTestUser(app.deps);
    const first = (await runCommand(usersDisableCommand, app.deps, { args: [user.email], json: true })).json as { disabled_at: Date };
    app.clock.advance(60_000);
    const again = await runCommand(usersDisableCommand, app.deps, { args: [user.email], json: true });
    expect(again.json).toMatchObject({ already_disabled: true, disabled_at: first.disabled_at });
  });

  it("refuses an unknown email", async () => {
    await expect(runCommand(usersDisableCommand, app.deps, { args: ["ghost@example.com"] })).rejects.toMatchObject({
      code: "EMAIL_NOT_REGISTERED",
    });
  });
});
