import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/app.js";
import { runCommand } from "../../test/cli.js";
import { createTestUser, type TestUser } from "../../test/fixtures.js";
import { ledgerCheckCommand } from "./commands.js";
import { checkLedger } from "./ledger-check.js";
import { changePoints } from "./ledger.js";

let app: TestApp;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;

beforeAll(async () => {
  app = await startTestApp();
  [alice, bob, carol] = [
    await createTestUser(app.deps, { points: 100 }),
    await createTestUser(app.deps, { points: 40 }),
    await createTestUser(app.deps, { points: 0 }),
  ];
  for (const [user, delta] of [
    [alice, -30],
    [bob, 15],
    [alice, 12],
    [bob, -55],
    [carol, 9],
  ] as const) {
    await app.deps.db
      .transaction()
      .execute((trx) => changePoints(trx, { userId: user.id, delta, type: "adjust", description: "运营调整：测试" }));
  }
});
afterAll(() => app.close());

const lastRowOf = async (user: TestUser) =>
  app.deps.db.selectFrom("ledger").selectAll().where("user_id", "=", user.id).orderBy("id", "desc").executeTakeFirstOrThrow();

describe("ledger check on a healthy ledger", () => {
  it("passes and counts every user; the command exits 0", async () => {
    const result = await runCommand(ledgerCheckCommand, app.deps, { json: true });
    expect(result.exitCode ?? 0).toBe(0);
    expect(result.json).toEqual({ ok: true, users_checked: 3, offenders: [] });
    expect((await runCommand(ledgerCheckCommand, app.deps)).text).toBe("ledger OK: 3 user(s) checked");
  });
});

describe("ledger check on a corrupted ledger", () => {
  it("fails naming the user whose ledger amount was changed behind changePoints' back", async () => {
    const row = await lastRowOf(alice);
    await sql`update ledger set amount = amount + 5 where id = ${row.id}`.execute(app.deps.db);
    try {
      const result = await runCommand(ledgerCheckCommand, app.deps, { json: true });
      expect(result.exitCode).toBe(1);
      const report = result.json as { ok: boolean; offenders: { email: string; problem: string }[] };
      expect(report.ok).toBe(false);
      expect(report.offenders.map((o) => o.email)).toEqual([alice.email]);
      expect(report.offenders[0]?.problem).toContain("sum of ledger amounts");
      expect(report.offenders[0]?.problem).toContain(`ledger row ${row.id}`);
      const text = (await runCommand(ledgerCheckCommand, app.deps)).text;
      expect(text).toContain("FAILED");
      expect(text).toContain(alice.email);
      expect(text).not.toContain(bob.email);
    } finally {
      await sql`update ledger set amount = amount - 5 where id = ${row.id}`.execute(app.deps.db);
    }
  });

  it("fails naming the user whose balance was changed directly in SQL", async () => {
    await sql`update users set points = points + 1 where id = ${bob.id}`.execute(app.deps.db);
    try {
      const report = await checkLedger(app.deps.db);
      expect(report).toEqual({
        ok: false,
        users_checked: 3,
        offenders: [{ email: bob.email, problem: "points 1 != sum of ledger amounts 0" }],
      });
    } finally {
      await sql`update users set points = points - 1 where id = ${bob.id}`.execute(app.deps.db);
    }
  });

  it("fails when a balance_after does not follow the previous row, even if the sum still matches", async () => {
    const row = await lastRowOf(carol);
    await sql`update ledger set balance_after = balance_after + 2 where id = ${row.id}`.execute(app.deps.db);
    try {
      const report = await checkLedger(app.deps.db);
      expect(report.offenders).toEqual([
        { email: carol.email, problem: `ledger row ${row.id}: balance_after 11 != previous balance 0 + amount 9` },
      ]);
    } finally {
      await sql`update ledger set balance_after = balance_after - 2 where id = ${row.id}`.execute(app.deps.db);
    }
  });

  it("fails on a deleted ledger row, naming every user it breaks", async () => {
    const [aliceRow, bobRow] = [await lastRowOf(alice), await lastRowOf(bob)];
    await app.deps.db.deleteFrom("ledger").where("id", "in", [aliceRow.id, bobRow.id]).execute();
    try {
      const report = await checkLedger(app.deps.db);
      expect(report.offenders.map((o) => o.email).sort()).toEqual([alice.email, bob.email].sort());
    } finally {
      await app.deps.db
        .insertInto("ledger")
        .values([aliceRow, bobRow].map(({ id: _id, ...row }) => row))
        .execute();
    }
  });

  it("flags a negative balance_after, had the database check been dropped", async () => {
    await sql`alter table ledger drop constraint ledger_balance_after_check`.execute(app.deps.db);
    const row = await app.deps.db.transaction().execute(async (trx) => {
      const user = await trx
        .insertInto("users")
        .values({ email: "negative@example.com", nickname: "n", password_hash: "x" })
        .returning("id")
        .executeTakeFirstOrThrow();
      return trx
        .insertInto("ledger")
        .values({ user_id: user.id, type: "adjust", amount: -3, balance_after: -3, description: "x" })
        .returning(["id", "user_id"])
        .executeTakeFirstOrThrow();
    });
    try {
      const report = await checkLedger(app.deps.db);
      expect(report.offenders).toEqual([
        { email: "negative@example.com", problem: `points 0 != sum of ledger amounts -3; ledger row ${row.id}: negative balance_after` },
      ]);
    } finally {
      await app.deps.db.deleteFrom("users").where("id", "=", row.user_id).execute();
      await sql`alter table ledger add constraint ledger_balance_after_check check (balance_after >= 0)`.execute(app.deps.db);
    }
  });

  it("passes again once every corruption is undone", async () => {
    expect(await checkLedger(app.deps.db)).toEqual({ ok: true, users_checked: 3, offenders: [] });
  });
});
