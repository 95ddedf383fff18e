import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./test/app.js";

/** The built server, as `pnpm start` runs it (turbo builds it before the tests). */
const mainPath = fileURLToPath(new URL("../dist/main.js", import.meta.url));

let app: TestApp;
let workDir: string;

beforeAll(async () => {
  if (!existsSync(mainPath)) throw new Error(`${mainPath} is missing: run \`pnpm --filter @ocean1/server build\` first`);
  app = await startTestApp();
  workDir = await mkdtemp(path.join(tmpdir(), "ocean1-main-"));
});
afterAll(async () => {
  await app.close();
  await rm(workDir, { recursive: true, force: true });
});

/**
 * A shell (standing in for pnpm) starts the server; that shell, or with `nested` the shell that started it
 * (standing in for npx, which leaves pnpm running when it is killed), is then killed outright.
 */
async function killLauncherOf(
  flag: string[],
  nested = false,
): Promise<{ output: string; stoppedWithin: number | null; pid: number; closed: Promise<void> }> {
  const env = {
    PATH: process.env.PATH ?? "",
    DATABASE_URL: app.database.url,
    OCEAN1_SECRET: app.deps.secret,
    OCEAN1_DATA_DIR: path.join(workDir, "data"),
    PORT: "0",
    HOST: "127.0.0.1",
  };
  const start = `node "${mainPath}" ${flag.join(" ")} & echo "pid $!"; wait`;
  const launcher = spawn("sh", ["-c", nested ? `sh -c '${start}' & wait` : start], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const closed = new Promise<void>((resolve) => launcher.stdout.on("close", resolve));
  launcher.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  launcher.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  while (!output.includes("listening on")) await new Promise((resolve) => setTimeout(resolve, 50));
  const pid = Number(/pid (\d+)/.exec(output)?.[1]);
  launcher.kill("SIGKILL");
  const started = Date.now();
  const stopped = await Promise.race([closed.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3_000))]);
  return { output, stoppedWithin: stopped ? Date.now() - started : null, pid, closed };
}

describe("the server process", () => {
  it.each([
    ["its launcher", false],
    ["the process that started its launcher", true],
  ])("started with --stop-with-parent, shuts down cleanly when %s dies", async (_who, nested) => {
    const run = await killLauncherOf(["--stop-with-parent"], nested);
    expect(run.stoppedWithin).not.toBeNull();
    expect(run.output).toContain("parent process exited");
    expect(run.output).toContain('"msg":"stopped"');
  });

  it("started without the flag, keeps running when its launcher dies (a process manager owns it)", async () => {
    const run = await killLauncherOf([]);
    expect(run.stoppedWithin).toBeNull();
    process.kill(run.pid, "SIGTERM");
    await run.closed;
  });
});
