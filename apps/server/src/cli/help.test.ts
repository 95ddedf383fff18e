import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

/** The built CLI, as `pnpm ocean1` runs it (turbo builds it before the tests). Help needs no database. */
const cliPath = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

function ocean1(...args: string[]) {
  const run = spawnSync(process.execPath, [cliPath, ...args], { cwd: tmpdir(), env: { PATH: process.env.PATH ?? "" }, encoding: "utf8" });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(() => {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run \`pnpm --filter @ocean1/server build\` first`);
});

describe("the operator CLI's help", () => {
  it.each([["-h"], ["--help"], ["help"]])("`ocean1 %s` lists every command group and exits 0", (flag) => {
    const run = ocean1(flag);
    expect(run.code).toBe(0);
    for (const group of ["migrate", "cards", "users", "ledger", "invites"]) expect(run.stdout).toMatch(new RegExp(`^  ${group} `, "m"));
  });

  it.each([[["cards"]], [["cards", "--help"]], [["help", "cards"]]])("`ocean1 %s` lists the cards subcommands and exits 0", (args) => {
    const run = ocean1(...args);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage: pnpm ocean1 cards <command>");
    for (const sub of ["create", "list", "disable"]) expect(run.stdout).toMatch(new RegExp(`^  ${sub} `, "m"));
  });

  it("`ocean1 cards create --help` shows that command's usage and options and exits 0", () => {
    const run = ocean1("cards", "create", "--help");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage: pnpm ocean1 cards create --points N --count M");
    for (const option of ["--points <value>", "--count <value>", "--expires <value>", "--batch <value>", "--json"])
      expect(run.stdout).toContain(option);
  });

  it.each([
    [["nope"], "unknown command 'nope'"],
    [["cards", "nope"], "unknown command 'cards nope'"],
    [["cards", "create", "--nope"], "unknown option '--nope'"],
    [["cards", "create", "--points"], "argument missing"],
  ])("`ocean1 %s` is a usage error: one line saying so, a usage line, exit 2", (args, message) => {
    const run = ocean1(...args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    const [first, second] = run.stderr.trim().split("\n");
    expect(first).toContain(message);
    expect(second).toMatch(/^usage: pnpm ocean1 /);
  });

  it("with no command, prints the help on stderr and exits 2", () => {
    const run = ocean1();
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Usage: pnpm ocean1 <command>");
  });
});
