import type { FailureResponse } from "@ocean1/contract";
import { localsOf, type HasLocals } from "./request-context.js";

/** Expected failures are a debug line; anything unexpected is logged whole, with the request id. */
export function logFailure(res: HasLocals | undefined, error: unknown, failure: FailureResponse, path?: string): void {
  const locals = res ? localsOf(res) : undefined;
  const log = locals?.log;
  if (!locals || !log) return;
  locals.outcome = failure.code;
  if (failure.code === "INTERNAL") log.error({ err: error, procedure: path }, "unexpected error");
  else log.debug({ code: failure.code, procedure: path }, "handled failure");
}
