import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../errors/app-error.js";
import { startTestApp } from "../test/app.js";
import { createTestDatabase, type TestDatabase } from "../test/database.js";
import { cooldownRemainingMs, deleteExpiredLimits, isLimited, releaseHit, tryConsume, type Limit } from "./rate-limit.js";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

/** 10-minute windows start on the epoch's 10-minute marks: 12:00, 12:10, … */
const at = (time: string) => new Date(`2030-01-10T${time}Z`);
let sequence = 0;
const limit = (max: number, windowSeconds = 600): Limit => ({ key: `test-${++sequence}`, max, windowSeconds });

async function hitsOf(key: string): Promise<number[]> {
  const rows = await database.db.selectFrom("rate_limits").select("hits").where("key", "like", `${key}@%`).execute();
  return rows.map((row) => row.hits);
}

describe("a window counted by tryConsume and pruned by deleteExpiredLimits", () => {
  it("keeps the counter through its whole window, so the limit still holds after a prune, and drops it once the window ends", async () => {
    const guesses = limit(2);
    expect(await tryConsume(database.db, [guesses], at("12:03:00"))).toBe(true);

    await deleteExpiredLimits(database.db, at("12:03:00"));
    await deleteExpiredLimits(database.db, at("12:09:59.999"));
    expect(await hitsOf(guesses.key)).toEqual([1]);
    expect(await tryConsume(database.db, [guesses], at("12:09:59"))).toBe(true);
    expect(await tryConsume(database.db, [guesses], at("12:09:59"))).toBe(false);

    expect(await deleteExpiredLimits(database.db, at("12:10:00.001"))).toBeGreaterThanOrEqual(1);
    expect(await hitsOf(guesses.key)).toEqual([]);
  });

  it("starts a fresh count when the next window begins, and prunes only the window that ended", async () => {
    const guesses = limit(1);
    expect(await tryConsume(database.db, [guesses], at("13:09:59"))).toBe(true);
    expect(await tryConsume(database.db, [guesses], at("13:09:59.999"))).toBe(false);
    expect(await tryConsume(database.db, [guesses], at("13:10:00"))).toBe(true);
    expect(await hitsOf(guesses.key)).toEqual([1, 1]);

    await deleteExpiredLimits(database.db, at("13:15:00"));
    expect(await hitsOf(guesses.key)).toEqual([1]);
    expect(await tryConsume(database.db, [guesses], at("13:15:00"))).toBe(false);
  });
});

describe("tryConsume", () => {
  it("counts nothing against any limit when one of them is full", async () => {
    const [roomy, full] = [limit(5), limit(1)];
    const now = at("14:00:00");
    expect(await tryConsume(database.db, [full], now)).toBe(true);
    expect(await tryConsume(database.db, [roomy, full], now)).toBe(false);
    expect(await hitsOf(roomy.key)).toEqual([]);
    expect(await hitsOf(full.key)).toEqual([1]);
  });

  it("lets nothing through a limit of 0", async () => {
    const closed = limit(0);
    expect(await tryConsume(database.db, [closed], at("14:30:00"))).toBe(false);
    expect(await hitsOf(closed.key)).toEqual([]);
  });

  it("lets one hit through per cooldown, counted from that hit", async () => {
    const cooldown = { key: `test-${++sequence}`, cooldownSeconds: 60 };
    expect(await tryConsume(database.db, [cooldown], at("15:00:30"))).toBe(true);
    expect(await tryConsume(database.db, [cooldown], at("15:01:29"))).toBe(false);
    expect(await cooldownRemainingMs(database.db, cooldown, at("15:01:29"))).toBe(1_000);
    expect(await tryConsume(database.db, [cooldown], at("15:01:30"))).toBe(true);
    expect(await cooldownRemainingMs(database.db, cooldown, at("15:03:00"))).toBe(0);
  });
});

describe("isLimited and releaseHit", () => {
  it("is true when any one of the limits is full, and counts nothing", async () => {
    const [roomy, full] = [limit(5), limit(1)];
    const now = at("16:00:00");
    expect(await isLimited(database.db, [roomy, full], now)).toBe(false);
    await tryConsume(database.db, [full], now);
    expect(await isLimited(database.db, [roomy, full], now)).toBe(true);
    expect(await isLimited(database.db, [roomy], now)).toBe(false);
    expect(await isLimited(database.db, [], now)).toBe(false);
    expect(await hitsOf(roomy.key)).toEqual([]);
  });

  it("gives back a reserved hit, never going below zero", async () => {
    const guesses = limit(1);
    const now = at("17:00:00");
    await tryConsume(database.db, [guesses], now);
    await releaseHit(database.db, [guesses], now);
    await releaseHit(database.db, [guesses], now);
    expect(await hitsOf(guesses.key)).toEqual([0]);
    expect(await tryConsume(database.db, [guesses], now)).toBe(true);
    expect(await tryConsume(database.db, [guesses], now)).toBe(false);
  });
});

describe("a database error while counting", () => {
  it("is thrown by tryConsume, not answered as a refusal", async () => {
    const broken = await createTestDatabase();
    try {
      await sql`drop table rate_limits`.execute(broken.db);
      const attempt = tryConsume(broken.db, [limit(5)], at("18:00:00"));
      await expect(attempt).rejects.toMatchObject({ code: "42P01" });
      await expect(attempt).rejects.not.toBeInstanceOf(AppError);
    } finally {
      await broken.drop();
    }
  });

  it("answers a code request with INTERNAL, not RATE_LIMITED", async () => {
    const app = await startTestApp();
    try {
      await sql`drop table rate_limits`.execute(app.deps.db);
      const res = await app.post("/api/auth/send_code", { email: "someone@example.com" });
      expect(res.body).toEqual({ status: "failed", code: "INTERNAL", msg: "服务器内部错误，请稍后再试" });
      expect(app.smtp.to("someone@example.com")).toHaveLength(0);
    } finally {
      await app.close();
    }
  });
});
