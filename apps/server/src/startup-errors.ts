import { ConfigError } from "./config.js";
import { DatabaseUnreachableError } from "./db/reachable.js";

/** A start-up refused for a reason an operator fixes (a busy port): one line, no stack. */
export class StartupError extends Error {
  override name = "StartupError";
}

/** Failures the server and the CLI report the same way: their message, exit code 1. */
export function isStartupFailure(error: unknown): error is Error {
  return error instanceof ConfigError || error instanceof DatabaseUnreachableError || error instanceof StartupError;
}
