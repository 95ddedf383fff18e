import { timeoutError } from "./errors.js";

/**
 * Runs a request with the operation's client timeout, as api.ts does (an AbortController and a
 * timer): past it the request is aborted and a timeout error thrown. `null` waits forever.
 */
export async function withTimeout<T>(
  operation: string,
  timeoutMs: number | null,
  run: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  if (timeoutMs === null) return run(undefined);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    return await run(controller.signal);
  } catch (error) {
    if (timedOut) throw timeoutError(operation, timeoutMs);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Waits, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
