import { spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

/** The built server of this monorepo (turbo builds it before the tests that use this harness). */
const serverDir = path.resolve(fileURLToPath(import.meta.url), "../../../../apps/server");
const runFile = promisify(execFile);

export interface BuiltServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  dataDir: string;
  /** The environment the server runs with (the CLI must use the same). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Variables of the developer's shell that would point the server elsewhere. */
const inheritedButIgnored = [
  "DATABASE_URL",
  "SMTP_URL",
  "OCEAN1_DATA_DIR",
  "OCEAN1_SECRET",
  "PORT",
  "HOST",
  "NODE_ENV",
  "GRSAI_BASE_URL",
  "GRSAI_API_KEY",
  "JIMENG_BASE_URL",
  "JIMENG_API_KEY",
  "CHAT_BASE_URL",
  "CHAT_API_KEY",
  "MODEL_CATALOG",
  "CORS_ORIGINS",
];

/**
 * Starts `node apps/server/dist/main.js` on a free port with a data dir of its own: the embedded
 * PostgreSQL (started by the server), the simulator upstream, no SMTP (codes go to the outbox).
 */
export async function startBuiltServer(extraEnv: Record<string, string> = {}): Promise<BuiltServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "ocean1-client-"));
  await chmod(dataDir, 0o755); // the embedded cluster runs as the postgres user when we are root
  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !inheritedButIgnored.includes(key)) base[key] = value;
  const env = {
    ...base,
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    PORT: "0",
    OCEAN1_DATA_DIR: dataDir,
    OCEAN1_SIMULATOR: "1",
    LOG_LEVEL: "warn",
    ...extraEnv,
  };

  // --stop-with-parent: the server and its embedded database stop even if the test run dies before its teardown.
  const child = spawn(process.execPath, [path.join(serverDir, "dist/main.js"), "--stop-with-parent"], {
    cwd: dataDir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  // Keep draining the pipes so that the child never blocks on a full one.
  child.stdout?.resume();
  child.stderr?.resume();
  return { url, dataDir, env, stop: () => stopServer(child, dataDir) };
}

async function stopServer(child: ChildProcess, dataDir: string): Promise<void> {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  }
  await rm(dataDir, { recursive: true, force: true });
}

/** Runs the operator CLI (`apps/server/dist/cli/main.js`) with the server's environment; answers its `--json` output. */
export async function runCli(server: Pick<BuiltServer, "env" | "dataDir">, args: string[]): Promise<unknown> {
  const { stdout } = await runFile(process.execPath, [path.join(serverDir, "dist/cli/main.js"), ...args, "--json"], {
    cwd: server.dataDir,
    env: server.env,
  });
  return JSON.parse(stdout);
}

/** New card keys, as an operator creates them. */
export async function createCardKeys(server: Pick<BuiltServer, "env" | "dataDir">, points: number, count = 1): Promise<string[]> {
  const cards = (await runCli(server, ["cards", "create", "--points", String(points), "--count", String(count)])) as Array<{
    card_key: string;
  }>;
  return cards.map((card) => card.card_key);
}

/**
 * The verification code of the newest email to `email` in the outbox that is not one of
 * `seen` (codes already read), waiting for it to arrive.
 */
export async function readEmailedCode(
  server: Pick<BuiltServer, "dataDir">,
  email: string,
  seen: ReadonlySet<string> = new Set(),
  timeoutMs = 10_000,
): Promise<string> {
  const outbox = path.join(server.dataDir, "outbox");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const files = (await readdir(outbox).catch(() => [] as string[])).sort().reverse();
    for (const file of files) {
      const text = await readFile(path.join(outbox, file), "utf8");
      if (!text.startsWith(`To: ${email}\n`)) continue;
      const code = /验证码是：(\d{6})/.exec(text)?.[1];
      if (code && !seen.has(code)) return code;
    }
    if (Date.now() > deadline) throw new Error(`no new code for ${email} in the outbox`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
