import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/app.js";
import { createTestUser, pointsOf } from "../../test/fixtures.js";

/** The built CLI, as `pnpm ocean1` runs it (turbo builds it before the tests). */
const cliPath = fileURLToPath(new URL("../../../dist/cli/main.js", import.meta.url));

let app: TestApp;
let workDir: string;

beforeAll(async () => {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run \`pnpm --filter @ocean1/server build\` first`);
  app = await startTestApp();
  workDir = await mkdtemp(path.join(tmpdir(), "ocean1-cli-"));
});
afterAll(async () => {
  await app.close();
  await rm(workDir, { recursive: true, force: true });
});

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in a process of its own, configured like the server: the test app's database and secret. */
function ocean1(...args: string[]): Promise<CliRun> {
  const env = {
    PATH: process.env.PATH ?? "",
    DATABASE_URL: app.database.url,
    OCEAN1_SECRET: app.deps.secret,
    OCEAN1_DATA_DIR: path.join(workDir, "data"),
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: workDir, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the operator CLI as a process", () => {
  it("cards create --json prints a JSON array of new keys that users can redeem", async () => {
    const run = await ocean1("cards", "create", "--points", "100", "--count", "3", "--json");
    expect(run.code).toBe(0);
    const created = JSON.parse(run.stdout) as { id: number; card_key: string; points: number }[];
    expect(created).toHaveLength(3);
    for (const card of created) expect(card).toMatchObject({ card_key: expect.stringMatching(/^\w{4}-\w{4}-\w{4}$/), points: 100 });
    const user = await createTestUser(app.deps);
    const res = await app.post("/api/pay/redeem", { email: user.email, card_key: created[0]!.card_key }, user.headers);
    expect(res.body).toEqual({ status: "success", msg: "充值成功", new_points: 100 });
  });

  it("ledger check exits 0 with the documented JSON, and exits 1 naming the user once a balance is corrupted", async () => {
    const user = await createTestUser(app.deps, { points: 10 });
    const healthy = await ocean1("ledger", "check", "--json");
    expect(healthy.code).toBe(0);
    expect(JSON.parse(healthy.stdout)).toEqual({ ok: true, users_checked: expect.any(Number), offenders: [] });

    await sql`update users set points = 11 where id = ${user.id}`.execute(app.deps.db);
    try {
      const broken = await ocean1("ledger", "check", "--json");
      expect(broken.code).toBe(1);
      expect(JSON.parse(broken.stdout)).toMatchObject({ ok: false, offenders: [{ email: user.email, problem: expect.any(String) }] });
      const text = await ocean1("ledger", "check");
      expect(text.code).toBe(1);
      expect(text.stdout).toContain(user.email);
    } finally {
      await sql`update users set points = 10 where id = ${user.id}`.execute(app.deps.db);
    }
  });

  it("takes a negative --amount as written: users adjust-points EMAIL --amount -50", async () => {
    const user = await createTestUser(app.deps, { points: 80 });
    const run = await ocean1("users", "adjust-points", user.email, "--amount", "-50", "--reason", "扣回误充", "--json");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ amount: -50, balance_after: 30 });
    expect(await pointsOf(app.deps, user.id)).toBe(30);
  });

  it("prints {error} and exits non-zero when a command fails with --json", async () => {
    const badArgument = await ocean1("cards", "create", "--points", "0", "--count", "1", "--json");
    expect(badArgument.code).toBe(2);
    expect(JSON.parse(badArgument.stdout)).toEqual({ error: expect.stringContaining("--points: 卡密积分应为 1 到 1000000 的整数") });

    const terminalEscape = await ocean1("cards", "create", "--points", "1", "--count", "1", "--batch", "x\u001b[2J\u001b[31m", "--json");
    expect(terminalEscape.code).toBe(2);
    expect(JSON.parse(terminalEscape.stdout)).toEqual({ error: expect.stringContaining("--batch: 批次标签不能包含不可见字符或控制字符") });

    const unknownUser = await ocean1("users", "show", "nobody@example.com", "--json");
    expect(unknownUser.code).toBe(1);
    expect(JSON.parse(unknownUser.stdout)).toEqual({ error: expect.stringContaining("nobody@example.com") });

    const belowZero = await ocean1(
      "users",
      "adjust-points",
      (await createTestUser(app.deps)).email,
      "--amount",
      "-1",
      "--reason",
      "x",
      "--json",
    );
    expect(belowZero.code).toBe(1);
    expect(JSON.parse(belowZero.stdout).error).toContain("积分不足");
  });

  it("prints a usage message on stderr for a bad argument without --json", async () => {
    const run = await ocean1("cards", "create", "--count", "3");
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("--points is required");
    expect(run.stderr).toContain("usage: pnpm ocean1 cards create --points N --count M");
  });
});
