/* eslint-disable @typescript-eslint/no-explicit-any -- the test client answers parsed JSON, read field by field by the tests */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The built server and CLI, as `pnpm start` and `pnpm ocean1` run them (turbo builds them before the tests). */
export const serverPath = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
export const cliPath = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

export function assertBuilt(): void {
  for (const file of [serverPath, cliPath]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`pnpm --filter @ocean1/server build\` first`);
  }
}

export interface ServerProcess {
  url: string;
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null after a signal) once the process has exited. */
  exited: Promise<number | null>;
}

/** Starts the built server on a free port of 127.0.0.1 and resolves once it accepts requests. */
export async function startServerProcess(env: Record<string, string>, cwd: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, [serverPath], {
    cwd,
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", HOST: "127.0.0.1", PORT: "0", ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 20 s: ${stderr}`)), 20_000);
    child.stdout.on("data", () => {
      const found = /listening on (http:\/\/\S+)/.exec(stdout);
      if (found?.[1]) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`server exited: ${stderr}`));
    });
  });
  return { url, child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Runs the built CLI to its end. */
export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a built entry point (`serverPath`, `cliPath`) to its end, killed after 20 s; errors only in its log. */
export function runBuilt(file: string, args: string[], env: Record<string, string>, cwd: string): Promise<ProcessRun> {
  const child = spawn(process.execPath, [file, ...args], { cwd, env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "error", ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  return new Promise((resolve) =>
    child.on("close", (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** The operator CLI as `pnpm ocean1` runs it. */
export function runCli(args: string[], env: Record<string, string>, cwd: string): Promise<ProcessRun> {
  return runBuilt(cliPath, args, env, cwd);
}

/** POST JSON as the frontend does, answering status and parsed body (or the text when not JSON). */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}
