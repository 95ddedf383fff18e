import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../errors/app-error.js";
import { startTestApp, type TestApp } from "../../test/app.js";
import { createTestUser, pointsOf } from "../../test/fixtures.js";
import { checkLedger } from "./ledger-check.js";
import { changePoints, maxBalance, type PointsChange } from "./ledger.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const change = (c: PointsChange) => app.deps.db.transaction().execute((trx) => changePoints(trx, c));

describe("changePoints under concurrency", () => {
  it("lets exactly 20 of 50 concurrent debits of 10 through on a balance of 200, ending at 0", async () => {
    const user = await createTestUser(app.deps, { points: 200 });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => change({ userId: user.id, delta: -10, type: "consume", description: "Sora 视频生成" })),
    );
    const refused = results.filter((r) => r.status === "rejected");
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(20);
    expect(refused).toHaveLength(30);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "INSUFFICIENT_POINTS" });
    expect(await pointsOf(app.deps, user.id)).toBe(0);
    const rows = await app.deps.db.selectFrom("ledger").selectAll().where("user_id", "=", user.id).orderBy("id").execute();
    expect(rows).toHaveLength(21);
    // Each row follows the previous one: no lost update, no two debits from the same balance.
    expect(rows.map((row) => row.balance_after)).toEqual([
      200, 190, 180, 170, 160, 150, 140, 130, 120, 110, 100, 90, 80, 70, 60, 50, 40, 30, 20, 10, 0,
    ]);
  });

  it("keeps every concurrent mixed credit and debit, never going negative", async () => {
    const user = await createTestUser(app.deps, { points: 0 });
    const deltas = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 25 : -10));
    const results = await Promise.allSettled(
      deltas.map((delta) => change({ userId: user.id, delta, type: delta > 0 ? "recharge" : "consume", description: "并发" })),
    );
    const applied = deltas.filter((_, i) => results[i]?.status === "fulfilled");
    expect(applied.filter((d) => d > 0)).toHaveLength(20);
    expect(await pointsOf(app.deps, user.id)).toBe(applied.reduce((sum, d) => sum + d, 0));
    const rows = await app.deps.db
      .selectFrom("ledger")
      .select(["amount", "balance_after"])
      .where("user_id", "=", user.id)
      .orderBy("id")
      .execute();
    let balance = 0;
    for (const row of rows) {
      balance += row.amount;
      expect(row.balance_after).toBe(balance);
      expect(row.balance_after).toBeGreaterThanOrEqual(0);
    }
  });

  it("writes nothing when a debit exceeds the balance", async () => {
    const user = await createTestUser(app.deps, { points: 5 });
    await expect(change({ userId: user.id, delta: -6, type: "consume", description: "x" })).rejects.toBeInstanceOf(AppError);
    expect(await pointsOf(app.deps, user.id)).toBe(5);
    const rows = await app.deps.db.selectFrom("ledger").select("id").where("user_id", "=", user.id).execute();
    expect(rows).toHaveLength(1);
  });

  it("rolls the balance back with the caller's transaction when a later step fails", async () => {
    const user = await createTestUser(app.deps, { points: 50 });
    await expect(
      app.deps.db.transaction().execute(async (trx) => {
        await changePoints(trx, { userId: user.id, delta: -20, type: "consume", description: "x" });
        throw new Error("the upstream call failed");
      }),
    ).rejects.toThrow("the upstream call failed");
    expect(await pointsOf(app.deps, user.id)).toBe(50);
  });

  it("leaves the ledger consistent after all of that", async () => {
    expect(await checkLedger(app.deps.db)).toMatchObject({ ok: true, offenders: [] });
  });
});

describe("the balance can never be negative", () => {
  it("is refused by the database itself, not only by the code", async () => {
    const user = await createTestUser(app.deps, { points: 1 });
    await expect(sql`update users set points = -1 where id = ${user.id}`.execute(app.deps.db)).rejects.toThrow(/users_points_not_negative/);
  });

  it("only moves inside a transaction (checked by the type checker)", () => {
    const outsideATransaction = () =>
      // @ts-expect-error changePoints takes a Transaction, not the pool
      changePoints(app.deps.db, { userId: 1, delta: 1, type: "adjust", description: "x" });
    expect(outsideATransaction).toBeTypeOf("function");
  });
});

describe("the amounts changePoints accepts", () => {
  const ledgerRows = async (userId: number) =>
    (await app.deps.db.selectFrom("ledger").select("amount").where("user_id", "=", userId).orderBy("id").execute()).map((r) => r.amount);

  it("refuses a fractional, non-finite or out-of-range delta before touching the database", async () => {
    const user = await createTestUser(app.deps, { points: 10 });
    for (const delta of [1.5, -0.5, Number.NaN, Number.POSITIVE_INFINITY, maxBalance + 1, -(maxBalance + 1), 2 ** 53]) {
      const refused = change({ userId: user.id, delta, type: "adjust", description: "x" });
      await expect(refused).rejects.toThrow(`points delta must be an integer within the balance column, got ${delta}`);
      await expect(refused).rejects.not.toBeInstanceOf(AppError);
    }
    expect(await pointsOf(app.deps, user.id)).toBe(10);
    expect(await ledgerRows(user.id)).toEqual([10]);
  });

  it("accepts a delta of the whole balance column, up and down", async () => {
    const user = await createTestUser(app.deps, { points: 0 });
    await change({ userId: user.id, delta: maxBalance, type: "adjust", description: "x" });
    expect(await pointsOf(app.deps, user.id)).toBe(maxBalance);
    await change({ userId: user.id, delta: -maxBalance, type: "adjust", description: "x" });
    expect(await ledgerRows(user.id)).toEqual([0, maxBalance, -maxBalance]);
    expect(await pointsOf(app.deps, user.id)).toBe(0);
  });

  it("refuses with POINTS_LIMIT a credit that would take the balance past the column, writing nothing", async () => {
    const user = await createTestUser(app.deps, { points: maxBalance - 5 });
    await expect(change({ userId: user.id, delta: 6, type: "recharge", description: "卡密充值" })).rejects.toMatchObject({
      code: "POINTS_LIMIT",
    });
    expect(await pointsOf(app.deps, user.id)).toBe(maxBalance - 5);
    await change({ userId: user.id, delta: 5, type: "recharge", description: "卡密充值" });
    expect(await pointsOf(app.deps, user.id)).toBe(maxBalance);
    expect(await ledgerRows(user.id)).toEqual([maxBalance - 5, 5]);
  });
});
