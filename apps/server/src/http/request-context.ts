import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "../logger.js";
import { requestDuration } from "../metrics/metrics.js";
import { operationOf } from "../metrics/operations.js";

export interface RequestLocals {
  requestId: string;
  /** The request's logger (its lines carry the request id). */
  readonly log: Logger;
  /** The failure code of a handled failure (set by logFailure), for the request metrics. */
  outcome?: string;
  /** The operation the REST dispatcher matched (its name is the request metrics' label). */
  operation?: string;
}

/** Anything that carries a request's locals: express's `res`, or the fast path's response. */
export interface HasLocals {
  locals: object;
}

export function localsOf(res: HasLocals): RequestLocals {
  return res.locals as RequestLocals;
}

/** A request that took this long is logged at info whatever its status. */
export const slowRequestMs = 1_000;

const acceptableRequestId = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The request id and logger of one request: the caller's `x-request-id` when it sends a sane one.
 * The child logger is made when first used: most requests log nothing.
 */
export function newRequestLocals(logger: Logger, given: string | string[] | undefined): RequestLocals {
  const requestId = typeof given === "string" && acceptableRequestId.test(given) ? given : randomUUID();
  let log: Logger | undefined;
  return {
    requestId,
    get log() {
      return (log ??= logger.child({ requestId }));
    },
  };
}

/** Cached label sets of the request histogram: `labels()` builds its key on every call. */
const durations = new Map<string, ReturnType<typeof requestDuration.labels>>();

/**
 * The metrics and the log line of a finished request. The line is at debug, at info when it failed
 * over HTTP (4xx/5xx) or was slow: one synchronous log write per request costs more than a
 * heartbeat's own work, and the request counts and latencies are on /metrics.
 */
export function recordRequest(logger: Logger, locals: RequestLocals, method: string, path: string, statusCode: number, ms: number): void {
  const outcome = locals.outcome ?? (statusCode === 200 ? "ok" : `http_${statusCode}`);
  const operation = locals.operation ?? operationOf(method, path);
  const key = `${operation} ${outcome}`;
  let duration = durations.get(key);
  if (!duration) {
    duration = requestDuration.labels(operation, outcome);
    // Both labels come from small fixed sets; the bound only guards against a mistake.
    if (durations.size < 1_000) durations.set(key, duration);
  }
  duration.observe(ms / 1000);
  const level = statusCode >= 400 || ms >= slowRequestMs ? "info" : "debug";
  if (!logger.isLevelEnabled(level)) return;
  // The query string is left out.
  locals.log[level]({ method, path, status: statusCode, ms: Math.round(ms * 10) / 10 }, "request");
}

/** The request's locals, its id on the answer, and its metrics and log line when it finishes (express's path). */
export function requestContext(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const locals = newRequestLocals(logger, req.headers["x-request-id"]);
    Object.defineProperties(res.locals, Object.getOwnPropertyDescriptors(locals));
    res.setHeader("x-request-id", locals.requestId);
    const started = performance.now();
    res.on("finish", () => {
      // `originalUrl`: under a mounted router (`/trpc`) `req.path` has lost its prefix.
      const path = req.originalUrl.split("?")[0] ?? "";
      recordRequest(logger, localsOf(res), req.method, path, res.statusCode, performance.now() - started);
    });
    next();
  };
}
