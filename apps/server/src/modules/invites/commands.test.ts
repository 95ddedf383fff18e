import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommandContext } from "../../cli/commands.js";
import { UsageError } from "../../cli/output.js";
import { accountTestEnv, signUp } from "../../test/accounts.js";
import { startTestApp, type TestApp } from "../../test/app.js";
import { inviteAlphabet } from "./codes.js";
import { createInviteCommand, listInvitesCommand } from "./commands.js";
import { InviteCodeTakenError } from "./service.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp(accountTestEnv);
});
afterAll(() => app.close());

const context = (options: CommandContext["options"] = {}, args: string[] = []): CommandContext => ({
  deps: app.deps,
  args,
  options,
  json: true,
});
const create = (options: CommandContext["options"] = {}, args: string[] = []) => createInviteCommand.run(context(options, args));
const list = (options: CommandContext["options"] = {}) => listInvitesCommand.run(context(options));

describe("invites create", () => {
  it("generates an 8-character code from the unambiguous alphabet, unlimited and without expiry", async () => {
    const result = await create();
    expect(result.json).toMatchObject({
      code: expect.stringMatching(new RegExp(`^[${inviteAlphabet}]{8}$`)),
      status: "active",
      uses: 0,
      max_uses: null,
      expires_at: null,
      owner_user_id: null,
    });
    expect(result.text).toContain("max uses: unlimited, expires: never");
  });

  it("keeps a chosen code normalised to upper case, with its use limit and expiry, as snake_case JSON", async () => {
    const result = await create({ code: " vip-2099 ", "max-uses": "3", expires: "2099-12-31T23:59:59+08:00" });
    expect(result.json).toMatchObject({
      code: "VIP-2099",
      max_uses: 3,
      uses: 0,
      expires_at: new Date("2099-12-31T15:59:59Z"),
      status: "active",
    });
    expect(result.text).toBe("created invite code VIP-2099 (max uses: 3, expires: 2099-12-31T15:59:59.000Z)");
    const stored = await app.deps.db.selectFrom("invite_codes").selectAll().where("code", "=", "VIP-2099").executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ max_uses: 3, owner_user_id: null, disabled_at: null });
  });

  it("refuses a code that already exists, whatever its case", async () => {
    await create({ code: "TAKEN-CODE" });
    await expect(create({ code: "taken-code" })).rejects.toThrow(InviteCodeTakenError);
  });

  it("refuses bad arguments with a UsageError and creates nothing", async () => {
    const before = (await list()).json as unknown[];
    const bad: CommandContext["options"][] = [
      { "max-uses": "0" },
      { "max-uses": "-1" },
      { "max-uses": "1.5" },
      { "max-uses": "lots" },
      { expires: "tomorrow" },
      { expires: "2020-01-01" },
      { expires: "2099-13-45" },
      { code: "ab" },
      { code: "has space" },
      { code: "邀请码码码" },
    ];
    for (const options of bad) await expect(create(options)).rejects.toThrow(UsageError);
    await expect(create({}, ["extra"])).rejects.toThrow(UsageError);
    expect((await list()).json).toHaveLength(before.length);
  });
});

describe("invites list", () => {
  it("lists operator codes with their uses and status; --all adds every personal code with its owner", async () => {
    const limited = await create({ code: "ONE-USE", "max-uses": "1" });
    const user = await signUp(app, { inviteCode: "one-use" });
    const rows = (await list()).json as Record<string, unknown>[];
    expect(rows).toContainEqual(expect.objectContaining({ code: "ONE-USE", uses: 1, max_uses: 1, status: "exhausted", owner_email: null }));
    expect(rows.every((row) => row.owner_user_id === null)).toBe(true);
    expect(Object.keys(rows[0] ?? {})).toEqual([
      "id",
      "code",
      "status",
      "uses",
      "max_uses",
      "expires_at",
      "owner_user_id",
      "owner_email",
      "disabled_at",
      "created_at",
    ]);

    const all = (await list({ all: true })).json as Record<string, unknown>[];
    expect(all).toContainEqual(expect.objectContaining({ owner_email: user.email, owner_user_id: expect.any(Number), status: "active" }));
    expect(all.length).toBeGreaterThan(rows.length);
    const text = (await list()).text;
    expect(text.split("\n")[0]).toMatch(/^code\s+status\s+uses\s+max_uses\s+expires_at\s+owner_email\s+created_at$/);
    expect(text).toContain((limited.json as { code: string }).code);
  });

  it("shows the personal code of a disabled account as disabled, as registration treats it", async () => {
    const owner = await signUp(app);
    await app.deps.db.updateTable("users").set({ disabled_at: app.clock.now() }).where("email", "=", owner.email).execute();
    const all = (await list({ all: true })).json as Record<string, unknown>[];
    expect(all).toContainEqual(expect.objectContaining({ owner_email: owner.email, status: "disabled" }));
  });

  it("shows an expired code as expired", async () => {
    await create({ code: "SHORT-LIVED", expires: new Date(app.clock.now().getTime() + 60_000).toISOString() });
    app.clock.advance(120_000);
    const rows = (await list()).json as Record<string, unknown>[];
    expect(rows).toContainEqual(expect.objectContaining({ code: "SHORT-LIVED", status: "expired" }));
  });
});
