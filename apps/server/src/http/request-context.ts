import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "../logger.js";

export interface RequestLocals {
  requestId: string;
  log: Logger;
}

export function localsOf(res: Response): RequestLocals {
  return res.locals as RequestLocals;
}

const acceptableRequestId = /^[A-Za-z0-9._-]{1,64}$/;

/** A request id on every answer and log line (the caller's `x-request-id` when it sends a sane one). */
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
      // `originalUrl`: under a mounted router (`/trpc`) `req.path` has lost its prefix. The query string is left out.
      log.info({ method: req.method, path: req.originalUrl.split("?")[0], status: res.statusCode, ms: Math.round(ms * 10) / 10 }, "request");
    });
    next();
  };
}
