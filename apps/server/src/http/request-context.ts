import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "../logger.js";
import { requestDuration } from "../metrics/metrics.js";
import { operationOf } from "../metrics/operations.js";

export interface RequestLocals {
  requestId: string;
  log: Logger;
  /** The failure code of a handled failure (set by logFailure), for the request metrics. */
  outcome?: string;
}

export function localsOf(res: Response): RequestLocals {
  return res.locals as RequestLocals;
}

/** A request that took this long is logged at info whatever its status. */
export const slowRequestMs = 1_000;

const acceptableRequestId = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * A request id on every answer and log line (the caller's `x-request-id` when it sends a sane one).
 * The line of each request is at debug, at info when it failed over HTTP (4xx/5xx) or was slow.
 */
export function requestContext(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const given = req.get("x-request-id");
    const requestId = given && acceptableRequestId.test(given) ? given : randomUUID();
    const log = logger.child({ requestId });
    Object.assign(res.locals, { requestId, log } satisfies RequestLocals);
    res.setHeader("x-request-id", requestId);
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const path = req.originalUrl.split("?")[0] ?? "";
      const { outcome } = localsOf(res);
      requestDuration
        .labels(operationOf(req.method, path), outcome ?? (res.statusCode === 200 ? "ok" : `http_${res.statusCode}`))
        .observe(ms / 1000);
      // One synchronous log write per request costs more than a heartbeat's own work: the request
      // counts and latencies are on /metrics; a line at info is kept for what an operator reads.
      const level = res.statusCode >= 400 || ms >= slowRequestMs ? "info" : "debug";
      if (!log.isLevelEnabled(level)) return;
      // `originalUrl`: under a mounted router (`/trpc`) `req.path` has lost its prefix. The query string is left out.
      log[level]({ method: req.method, path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, "request");
    });
    next();
  };
}
