import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/app.js";
import { createTestUser, pointsOf, type TestUser } from "../../test/fixtures.js";
import { checkLedger } from "../points/ledger-check.js";
import { createCardKeys, disableCardKey, type CreateCardKeysRequest } from "./manage.js";
import { redeemFailureLimits } from "./redeem.js";

let app: TestApp;
beforeAll(async () => {
  // Trusting X-Forwarded-For lets a test speak from several client IPs.
  app = await startTestApp({ TRUST_PROXY: "1" });
});
afterAll(() => app.close());
// Each test starts in a fresh 10-minute rate-limit window, so one test's failures never limit another.
beforeEach(() => app.clock.advance(redeemFailureLimits.perIp.windowSeconds * 1000));

async function newKey(points = 100, extra: Partial<CreateCardKeysRequest> = {}): Promise<{ id: number; key: string }> {
  const [card] = await createCardKeys(app.deps, { points, count: 1, expiresAt: null, batch: null, ...extra });
  if (!card) throw new Error("no card key created");
  return { id: card.id, key: card.card_key };
}

function redeem(user: TestUser, cardKey: string, options: { email?: string; ip?: string } = {}) {
  const headers: Record<string, string> = { ...user.headers, ...(options.ip ? { "x-forwarded-for": options.ip } : {}) };
  return app.post("/api/pay/redeem", { email: options.email ?? user.email, card_key: cardKey }, headers);
}

async function redeemedBy(cardId: number): Promise<number | null> {
  const row = await app.deps.db.selectFrom("card_keys").select("redeemed_by").where("id", "=", cardId).executeTakeFirstOrThrow();
  return row.redeemed_by;
}

describe("redeeming a card key", () => {
  it("credits the key's points once, in the ledger too, and answers the new balance", async () => {
    const user = await createTestUser(app.deps, { points: 30 });
    const card = await newKey(100);
    expect(await redeem(user, card.key)).toEqual({ status: 200, body: { status: "success", msg: "充值成功", new_points: 130 } });
    const history = await app.get("/api/user/history", user.headers);
    expect(history.body.data[0]).toMatchObject({ type: "recharge", amount: 100, balance_after: 130, description: "卡密充值" });
    expect(await redeemedBy(card.id)).toBe(user.id);
    const refs = await app.deps.db
      .selectFrom("ledger")
      .select("ref")
      .where("user_id", "=", user.id)
      .where("type", "=", "recharge")
      .execute();
    expect(refs).toEqual([{ ref: `card:${card.id}` }]);
  });

  it("accepts the key in lower case, with spaces, or without dashes", async () => {
    const user = await createTestUser(app.deps);
    const spellings = [(k: string) => k.toLowerCase(), (k: string) => ` ${k.replaceAll("-", " ")} `, (k: string) => k.replaceAll("-", "")];
    for (const spell of spellings) {
      const card = await newKey(10);
      const res = await redeem(user, spell(card.key));
      expect(res.body).toMatchObject({ status: "success" });
    }
    expect(await pointsOf(app.deps, user.id)).toBe(30);
  });

  it("lets exactly one of 20 concurrent redeems of one key win, crediting it once", async () => {
    const users = await Promise.all(Array.from({ length: 20 }, () => createTestUser(app.deps, { points: 5 })));
    const card = await newKey(100);
    const answers = await Promise.all(users.map((user) => redeem(user, card.key)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const winners = answers.filter((a) => a.body.status === "success");
    expect(winners).toHaveLength(1);
    expect(answers.filter((a) => a.body.code === "CARD_USED")).toHaveLength(19);
    const balances = await Promise.all(users.map((user) => pointsOf(app.deps, user.id)));
    expect(balances.reduce((sum, points) => sum + points, 0)).toBe(20 * 5 + 100);
    const winner = users[answers.indexOf(winners[0]!)]!;
    expect(await pointsOf(app.deps, winner.id)).toBe(105);
    expect(await redeemedBy(card.id)).toBe(winner.id);
    const credits = await app.deps.db.selectFrom("ledger").select("id").where("ref", "=", `card:${card.id}`).execute();
    expect(credits).toHaveLength(1);
    expect(await checkLedger(app.deps.db)).toMatchObject({ ok: true, offenders: [] });
  });

  it("refuses a key already redeemed with CARD_USED, for its redeemer and for anyone else", async () => {
    const [first, second] = [await createTestUser(app.deps), await createTestUser(app.deps)];
    const card = await newKey(50);
    await redeem(first, card.key);
    for (const user of [first, second]) {
      expect(await redeem(user, card.key)).toEqual({ status: 200, body: { status: "failed", code: "CARD_USED", msg: "卡密已被使用" } });
    }
    expect([await pointsOf(app.deps, first.id), await pointsOf(app.deps, second.id)]).toEqual([50, 0]);
  });

  it("refuses a key at and after its expiry with CARD_EXPIRED, and accepts it just before", async () => {
    const user = await createTestUser(app.deps);
    const expiresAt = new Date(app.clock.now().getTime() + 3_600_000);
    const [early, late] = [await newKey(10, { expiresAt }), await newKey(10, { expiresAt })];
    app.clock.advance(3_600_000 - 1);
    expect((await redeem(user, early.key)).body.status).toBe("success");
    app.clock.advance(1);
    expect((await redeem(user, late.key)).body).toMatchObject({ status: "failed", code: "CARD_EXPIRED" });
    expect(await redeemedBy(late.id)).toBeNull();
  });

  it("refuses a disabled key with CARD_DISABLED and leaves it unredeemed", async () => {
    const user = await createTestUser(app.deps);
    const card = await newKey(10);
    await disableCardKey(app.deps, { key: card.key });
    expect((await redeem(user, card.key)).body).toMatchObject({ status: "failed", code: "CARD_DISABLED" });
    expect(await redeemedBy(card.id)).toBeNull();
    expect(await pointsOf(app.deps, user.id)).toBe(0);
  });

  it("refuses an unknown key with CARD_INVALID, and a malformed one with CARD_INVALID saying the key's form", async () => {
    const user = await createTestUser(app.deps);
    expect((await redeem(user, "ABCD-EFGH-JKLM")).body).toEqual({ status: "failed", code: "CARD_INVALID", msg: "卡密无效" });
    for (const key of ["not a key", "0000-1111-OOOO", ""]) {
      expect((await redeem(user, key)).body).toEqual({ status: "failed", code: "CARD_INVALID", msg: "卡密格式错误，应为 XXXX-XXXX-XXXX" });
    }
  });

  it("gives used, expired, disabled and invalid keys distinct Chinese messages", async () => {
    const user = await createTestUser(app.deps);
    const used = await newKey(1);
    await redeem(user, used.key);
    const expired = await newKey(1, { expiresAt: new Date(app.clock.now().getTime() + 1000) });
    const disabled = await newKey(1);
    await disableCardKey(app.deps, { id: disabled.id });
    app.clock.advance(1000);
    const answers = [
      await redeem(user, used.key),
      await redeem(user, expired.key),
      await redeem(user, disabled.key),
      await redeem(user, "ABCD-EFGH-JKLM"),
    ];
    expect(answers.map((a) => a.body.code)).toEqual(["CARD_USED", "CARD_EXPIRED", "CARD_DISABLED", "CARD_INVALID"]);
    for (const { body } of answers) expect(body.msg).toMatch(/[\u4e00-\u9fff]/);
    expect(new Set(answers.map((a) => a.body.msg)).size).toBe(4);
  });
});

describe("who may redeem", () => {
  it("refuses a body email other than the caller's with FORBIDDEN and leaves the key unredeemed", async () => {
    const [caller, other] = [await createTestUser(app.deps), await createTestUser(app.deps)];
    const card = await newKey(10);
    expect((await redeem(caller, card.key, { email: other.email })).body).toEqual({
      status: "failed",
      code: "FORBIDDEN",
      msg: "只能为当前登录的账号充值",
    });
    expect(await redeemedBy(card.id)).toBeNull();
    expect([await pointsOf(app.deps, caller.id), await pointsOf(app.deps, other.id)]).toEqual([0, 0]);
  });

  it("accepts the caller's own email in another case and with spaces", async () => {
    const user = await createTestUser(app.deps);
    const card = await newKey(10);
    expect((await redeem(user, card.key, { email: `  ${user.email.toUpperCase()} ` })).body.status).toBe("success");
  });

  it("refuses a caller without an active session with UNAUTHENTICATED (HTTP 200) and claims nothing", async () => {
    const user = await createTestUser(app.deps);
    const card = await newKey(10);
    const noHeaders = await app.post("/api/pay/redeem", { email: user.email, card_key: card.key });
    const wrongDevice = await app.post(
      "/api/pay/redeem",
      { email: user.email, card_key: card.key },
      { ...user.headers, "x-device-id": "another-device-id" },
    );
    for (const res of [noHeaders, wrongDevice])
      expect(res).toEqual({ status: 200, body: { status: "failed", code: "UNAUTHENTICATED", msg: expect.any(String) } });
    expect(await redeemedBy(card.id)).toBeNull();
  });
});

describe("rate limiting failed redeems", () => {
  it("stops a user after 5 failures, even with a valid key, until the window passes", async () => {
    const user = await createTestUser(app.deps);
    for (let i = 0; i < redeemFailureLimits.perUser.max; i++) {
      expect((await redeem(user, "ABCD-EFGH-JKLM")).body.code).toBe("CARD_INVALID");
    }
    const card = await newKey(10);
    expect((await redeem(user, card.key)).body).toEqual({
      status: "failed",
      code: "RATE_LIMITED",
      msg: "卡密尝试次数过多，请 10 分钟后再试",
    });
    expect(await redeemedBy(card.id)).toBeNull();
    const other = await createTestUser(app.deps);
    expect((await redeem(other, (await newKey(10)).key)).body.status).toBe("success");
    app.clock.advance(redeemFailureLimits.perUser.windowSeconds * 1000);
    expect((await redeem(user, card.key)).body.status).toBe("success");
  });

  it(`stops an IP after ${redeemFailureLimits.perIp.max} failures from many users, but not another IP`, async () => {
    const ip = "203.0.113.7";
    const guessers = await Promise.all(Array.from({ length: redeemFailureLimits.perIp.max }, () => createTestUser(app.deps)));
    for (const guesser of guessers) expect((await redeem(guesser, "ABCD-EFGH-JKLM", { ip })).body.code).toBe("CARD_INVALID");
    const user = await createTestUser(app.deps);
    const card = await newKey(10);
    expect((await redeem(user, card.key, { ip })).body.code).toBe("RATE_LIMITED");
    expect((await redeem(user, card.key, { ip: "198.51.100.9" })).body.status).toBe("success");
  });

  it("lets exactly 5 of 20 concurrent bad keys from one user be tried; the other 15 are RATE_LIMITED", async () => {
    const user = await createTestUser(app.deps);
    const answers = await Promise.all(Array.from({ length: 20 }, () => redeem(user, "ABCD-EFGH-JKLM", { ip: "198.51.100.20" })));
    const codes = answers.map((res) => res.body.code);
    expect(codes.filter((code) => code === "CARD_INVALID")).toHaveLength(redeemFailureLimits.perUser.max);
    expect(codes.filter((code) => code === "RATE_LIMITED")).toHaveLength(20 - redeemFailureLimits.perUser.max);
  });

  it("counts only keys that do not exist: a double-clicked used key, expired, disabled or malformed keys never lock out a fresh key", async () => {
    const user = await createTestUser(app.deps);
    const used = await newKey(10);
    expect((await redeem(user, used.key)).body.status).toBe("success");
    for (let i = 0; i < redeemFailureLimits.perUser.max + 1; i++) expect((await redeem(user, used.key)).body.code).toBe("CARD_USED");
    const expired = await newKey(1, { expiresAt: new Date(app.clock.now().getTime() + 1000) });
    const disabled = await newKey(1);
    await disableCardKey(app.deps, { id: disabled.id });
    app.clock.advance(1000);
    for (let i = 0; i < redeemFailureLimits.perUser.max + 1; i++) {
      expect((await redeem(user, expired.key)).body.code).toBe("CARD_EXPIRED");
      expect((await redeem(user, disabled.key)).body.code).toBe("CARD_DISABLED");
      expect((await redeem(user, "not a key")).body.code).toBe("CARD_INVALID");
    }
    expect((await redeem(user, (await newKey(5)).key)).body).toMatchObject({ status: "success", new_points: 15 });
  });

  it("counts the addresses of one IPv6 /64 as one client for the per-IP guess limit", async () => {
    const guessers = await Promise.all(Array.from({ length: redeemFailureLimits.perIp.max }, () => createTestUser(app.deps)));
    for (const [i, guesser] of guessers.entries()) {
      expect((await redeem(guesser, "ABCD-EFGH-JKLM", { ip: `2001:db8:99:1::${(i + 1).toString(16)}` })).body.code).toBe("CARD_INVALID");
    }
    const user = await createTestUser(app.deps);
    const card = await newKey(10);
    expect((await redeem(user, card.key, { ip: "2001:db8:99:1:aaaa::1" })).body.code).toBe("RATE_LIMITED");
    expect((await redeem(user, card.key, { ip: "2001:db8:99:2::1" })).body.status).toBe("success");
  });

  it("does not count successful redeems as failures", async () => {
    const user = await createTestUser(app.deps);
    for (let i = 0; i < redeemFailureLimits.perUser.max * 2; i++) {
      expect((await redeem(user, (await newKey(1)).key)).body.status).toBe("success");
    }
  });
});
