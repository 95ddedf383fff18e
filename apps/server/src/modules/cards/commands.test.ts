import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../../cli/output.js";
import { AppError } from "../../errors/app-error.js";
import { startTestApp, type TestApp } from "../../test/app.js";
import { runCommand } from "../../test/cli.js";
import { createTestUser } from "../../test/fixtures.js";
import { hashCardKey } from "./card-key.js";
import { cardsCreateCommand, cardsDisableCommand, cardsListCommand } from "./commands.js";
import { createCardKeys, type CreatedCardKey } from "./manage.js";
import { redeemCard } from "./redeem.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

async function create(options: Record<string, string>): Promise<CreatedCardKey[]> {
  return (await runCommand(cardsCreateCommand, app.deps, { options, json: true })).json as CreatedCardKey[];
}

const cardCount = async () => Number((await sql<{ n: number }>`select count(*) as n from card_keys`.execute(app.deps.db)).rows[0]?.n);

describe("cards create", () => {
  it("says the same as the CLI when the service itself is given bad points or a bad batch: one rule, one message", async () => {
    const request = { points: 10, count: 1, expiresAt: null, batch: null };
    await expect(createCardKeys(app.deps, { ...request, points: 0 })).rejects.toMatchObject({
      code: "VALIDATION",
      userMessage: "卡密积分应为 1 到 1000000 的整数",
    });
    await expect(createCardKeys(app.deps, { ...request, batch: "a\u0085b" })).rejects.toMatchObject({
      code: "VALIDATION",
      userMessage: "批次标签不能包含不可见字符或控制字符",
    });
  });

  it("prints each new key once with its id, points, batch and expiry, and stores only its hash", async () => {
    const expires = new Date(app.clock.now().getTime() + 30 * 86_400_000).toISOString();
    const created = await create({ points: "100", count: "3", batch: "promo-11", expires });
    expect(created).toHaveLength(3);
    for (const card of created) {
      expect(card).toEqual({
        id: expect.any(Number),
        card_key: expect.stringMatching(/^[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){2}$/),
        points: 100,
        batch: "promo-11",
        expires_at: new Date(expires),
      });
    }
    expect(new Set(created.map((c) => c.card_key)).size).toBe(3);
    const rows = await app.deps.db
      .selectFrom("card_keys")
      .selectAll()
      .where(
        "id",
        "in",
        created.map((c) => c.id),
      )
      .orderBy("id")
      .execute();
    expect(rows.map((row) => row.key_hash)).toEqual(created.map((c) => hashCardKey(app.deps.secret, c.card_key)));
    const stored = JSON.stringify(rows);
    for (const { card_key: key } of created) {
      expect(stored).not.toContain(key);
      expect(stored).not.toContain(key.replaceAll("-", ""));
    }
  });

  it("prints a table of the keys for people, with a warning to keep them", async () => {
    const result = await runCommand(cardsCreateCommand, app.deps, { options: { points: "5", count: "2" } });
    expect(result.text).toMatch(/^id\s+card_key\s+points\s+batch\s+expires_at/);
    expect(result.text.match(/[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/g)).toHaveLength(2);
    expect(result.text).toContain("shown only now");
  });

  it("creates 10,000 keys in one command, all distinct", async () => {
    const created = await create({ points: "1", count: "10000", batch: "bulk" });
    expect(new Set(created.map((c) => c.card_key)).size).toBe(10_000);
    const [row] = (await sql<{ n: number }>`select count(*) as n from card_keys where batch = 'bulk'`.execute(app.deps.db)).rows;
    expect(Number(row?.n)).toBe(10_000);
  });

  it.each([
    [{ count: "1" }, /--points is required/],
    [{ points: "abc", count: "1" }, /--points must be a whole number/],
    [{ points: "1.5", count: "1" }, /--points must be a whole number/],
    [{ points: "1e3", count: "1" }, /--points must be a whole number/],
    [{ points: "0", count: "1" }, /--points: 卡密积分应为 1 到 1000000 的整数/],
    [{ points: "-5", count: "1" }, /--points: 卡密积分应为 1 到 1000000 的整数/],
    [{ points: "1000001", count: "1" }, /--points: 卡密积分应为 1 到 1000000 的整数/],
    [{ points: "10" }, /--count is required/],
    [{ points: "10", count: "0" }, /--count: 卡密数量应为 1 到 10000 的整数/],
    [{ points: "10", count: "10001" }, /--count: 卡密数量应为 1 到 10000 的整数/],
    [{ points: "10", count: "1", expires: "tomorrow" }, /--expires must be an ISO date/],
    [{ points: "10", count: "1", expires: "2030-02-30" }, /--expires must be an ISO date/],
    [{ points: "10", count: "1", expires: "2030-01-01T10:00" }, /--expires must be an ISO date/],
    [{ points: "10", count: "1", expires: "2001-01-01" }, /--expires is in the past/],
    [{ points: "10", count: "1", batch: " " }, /--batch: 批次标签不能为空/],
    [{ points: "10", count: "1", batch: "x".repeat(65) }, /--batch: 批次标签最多 64 个字符/],
    [{ points: "10", count: "1", batch: "promo\u001b[2J\u001b[31mPAID" }, /--batch: 批次标签不能包含不可见字符或控制字符/],
    [{ points: "10", count: "1", batch: "promo\u202Eevil" }, /--batch: 批次标签不能包含不可见字符或控制字符/],
    [{ points: "10", count: "1", batch: "promo\u009b31m" }, /--batch: 批次标签不能包含不可见字符或控制字符/],
  ])("refuses %o with a usage error and creates nothing", async (options, message) => {
    const before = await cardCount();
    await expect(runCommand(cardsCreateCommand, app.deps, { options })).rejects.toThrow(message);
    await expect(runCommand(cardsCreateCommand, app.deps, { options })).rejects.toBeInstanceOf(UsageError);
    expect(await cardCount()).toBe(before);
  });
});

describe("cards list", () => {
  it("refuses a --batch filter with control characters, as create does", async () => {
    await expect(runCommand(cardsListCommand, app.deps, { options: { batch: "x\u001b[2J" } })).rejects.toThrow(
      /--batch: 批次标签不能包含不可见字符或控制字符/,
    );
  });

  it("shows each key's state and who redeemed it, but never a key", async () => {
    const [redeemed, disabled, fresh] = await create({ points: "7", count: "3", batch: "list-test" });
    const user = await createTestUser(app.deps);
    await redeemCard(
      app.deps,
      { userId: user.id, email: user.email, ip: "127.0.0.1" },
      { email: user.email, card_key: redeemed!.card_key },
    );
    await runCommand(cardsDisableCommand, app.deps, { args: [String(disabled!.id)] });

    const listed = (await runCommand(cardsListCommand, app.deps, { options: { batch: "list-test" }, json: true })).json as Record<
      string,
      unknown
    >[];
    expect(listed.map((row) => Object.keys(row))).toEqual(
      Array(3).fill(["id", "points", "batch", "expires_at", "disabled_at", "redeemed_by", "redeemed_at", "created_at"]),
    );
    expect(listed.map((row) => [row.id, row.redeemed_by, row.disabled_at !== null])).toEqual([
      [redeemed!.id, user.email, false],
      [disabled!.id, null, true],
      [fresh!.id, null, false],
    ]);
    const text = (await runCommand(cardsListCommand, app.deps, { options: { batch: "list-test" } })).text;
    expect(text).toContain(user.email);
    for (const card of [redeemed, disabled, fresh]) expect(text).not.toContain(card!.card_key);
  });
});

describe("cards disable", () => {
  it("disables a key named by the key itself, in any spelling", async () => {
    const [card] = await create({ points: "3", count: "1" });
    const result = await runCommand(cardsDisableCommand, app.deps, {
      args: [card!.card_key.toLowerCase().replaceAll("-", "")],
      json: true,
    });
    expect(result.json).toMatchObject({ id: card!.id, already_disabled: false, disabled_at: app.clock.now() });
  });

  it("disables a key named by its id, and says so when it already was", async () => {
    const [card] = await create({ points: "3", count: "1" });
    expect((await runCommand(cardsDisableCommand, app.deps, { args: [String(card!.id)] })).text).toBe(
      `card key ${card!.id} disabled at ${app.clock.now().toISOString()}`,
    );
    expect((await runCommand(cardsDisableCommand, app.deps, { args: [String(card!.id)], json: true })).json).toMatchObject({
      already_disabled: true,
    });
  });

  it("refuses a redeemed key, an unknown key or id, and a missing argument", async () => {
    const [card] = await create({ points: "3", count: "1" });
    const user = await createTestUser(app.deps);
    await redeemCard(app.deps, { userId: user.id, email: user.email, ip: "127.0.0.1" }, { email: user.email, card_key: card!.card_key });
    await expect(runCommand(cardsDisableCommand, app.deps, { args: [card!.card_key] })).rejects.toMatchObject({ code: "CARD_USED" });
    await expect(runCommand(cardsDisableCommand, app.deps, { args: ["ABCD-EFGH-JKLM"] })).rejects.toMatchObject({ code: "CARD_INVALID" });
    await expect(runCommand(cardsDisableCommand, app.deps, { args: ["999999"] })).rejects.toBeInstanceOf(AppError);
    await expect(runCommand(cardsDisableCommand, app.deps, { args: [] })).rejects.toBeInstanceOf(UsageError);
  });
});
