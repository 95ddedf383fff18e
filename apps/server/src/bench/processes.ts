import { spawn, type ChildProcess } from "node:child_process";
import { openSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { treeCpuSeconds } from "./cpu.js";

/** A server under test: its own process, its output in a file (as a production log would be). */
export interface ServerProcess {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
  /** CPU seconds (user + system) the process has used so far, from /proc. */
  cpuSeconds(): number;
  /** Resident memory in MB, from /proc. */
  rssMb(): number;
}

export async function startServer(args: string[], url: string, logFile: string, env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
  const out = openSync(logFile, "a");
  const child = spawn(process.execPath, args, { stdio: ["ignore", out, out], env: { ...process.env, ...env } });
  let exited = false;
  child.once("exit", () => (exited = true));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`server ${args.join(" ")} exited at start; see ${logFile}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`server ${args.join(" ")} did not answer within 30 s`);
      await sleep(100);
    }
  }
  const pid = child.pid ?? 0;
  return {
    child,
    url: new URL(url).origin,
    async stop() {
      if (exited) return;
      const done = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await done;
    },
    cpuSeconds: () => treeCpuSeconds(pid),
    rssMb() {
      const line =
        readFileSync(`/proc/${pid}/status`, "utf8")
          .split("\n")
          .find((l) => l.startsWith("VmRSS:")) ?? "";
      return Number(/\d+/.exec(line)?.[0] ?? 0) / 1024;
    },
  };
}

/** The environment of the built server under a bench: production settings on the bench's database, logging at info to its file. */
export function benchServerEnv(options: { databaseUrl: string; secret: string; port: number; dataDir: string }): Record<string, string> {
  return {
    NODE_ENV: "production",
    ALLOW_DEV_DEFAULTS_IN_PRODUCTION: "1",
    DATABASE_URL: options.databaseUrl,
    OCEAN1_SECRET: options.secret,
    HOST: "127.0.0.1",
    PORT: String(options.port),
    OCEAN1_DATA_DIR: options.dataDir,
    LOG_LEVEL: "info",
  };
}

/** One statement on the cluster's admin connection (`create database`, `drop database`). */
export async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(statement).finally(() => client.end());
}
