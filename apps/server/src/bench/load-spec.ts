import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** One scenario for the load worker (autocannon in a separate process). */
export interface LoadSpec {
  url: string;
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  seconds: number;
  /** Stop after this many requests instead of `seconds`. */
  amount?: number;
  /** `{i}` in the request becomes the request number modulo `users`. */
  users?: number;
  /** `{k}` becomes `keys[floor(n / keysRepeat)]`: each key sent `keysRepeat` times. */
  keys?: string[];
  keysRepeat?: number;
  timeoutSeconds?: number;
}

export interface LoadResult {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Connection errors and timeouts seen by the generator. */
  errors: number;
  timeouts: number;
  non2xx: number;
  /** "HTTP-status outcome" → count, the outcome being the body's `code` or `status`. */
  outcomes: Record<string, number>;
}

const workerPath = fileURLToPath(new URL("./load-worker.js", import.meta.url));

/** Runs one scenario in a fresh load-generator process and reads its result. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [workerPath, JSON.stringify(spec)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`load worker exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split("\n").pop() ?? "") as LoadResult);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}
