import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pruneExpiredState } from "./maintenance.js";
import { createTestDatabase, type TestDatabase } from "./test/database.js";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describe("pruning expired state", () => {
  it("drops expired rate-limit windows and codes expired for a day, and keeps everything still in use", async () => {
    const now = new Date("2030-01-10T12:00:00Z");
    const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
    await database.db
      .insertInto("rate_limits")
      .values([
        { key: "expired", hits: 3, expires_at: hoursAgo(1) },
        { key: "current", hits: 1, expires_at: hoursAgo(-1) },
      ])
      .execute();
    const code = (email: string, expiresAt: Date) => ({ email, purpose: "general" as const, code_hash: "h", expires_at: expiresAt });
    await database.db
      .insertInto("verification_codes")
      .values([code("stale@example.com", hoursAgo(25)), code("recent@example.com", hoursAgo(2)), code("live@example.com", hoursAgo(-0.1))])
      .execute();

    expect(await pruneExpiredState(database.db, now)).toEqual({ rateLimits: 1, codes: 1 });
    expect((await database.db.selectFrom("rate_limits").select("key").execute()).map((r) => r.key)).toEqual(["current"]);
    const emails = (await database.db.selectFrom("verification_codes").select("email").orderBy("email").execute()).map((r) => r.email);
    expect(emails).toEqual(["live@example.com", "recent@example.com"]);
  });
});
