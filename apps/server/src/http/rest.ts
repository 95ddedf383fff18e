import type { FailureResponse } from "@ocean1/contract";
import type { NextFunction, Request, Response } from "express";
import { createOpenApiNodeHttpHandler } from "trpc-to-openapi";
import { toFailure } from "../errors/transport.js";
import type { AppRouter } from "../router.js";
import type { Context } from "../trpc.js";
import { logFailure } from "./failures.js";

/**
 * The documented REST paths, served by trpc-to-openapi from the same procedures as `/trpc`.
 * Every handled failure answers HTTP 200 with exactly `{status:"failed", msg, code}`: the adapter
 * would put tRPC's code in `code`, so the body it writes for an error is replaced by ours.
 */
export function restApi(router: AppRouter, createContext: (req: Request, res: Response) => Context) {
  const failures = new WeakMap<object, FailureResponse>();
  const handle = createOpenApiNodeHttpHandler({
    router,
    createContext: ({ req, res }) => createContext(req as Request, res as Response),
    responseMeta: ({ errors }) => (errors.length > 0 ? { status: 200 } : {}),
    onError: ({ error, req, path }) => {
      const failure = toFailure(error);
      failures.set(req, failure);
      logFailure((req as Request).res as Response, error, failure, path);
    },
    maxBodySize: 1_000_000,
  });
  return (req: Request, res: Response, next: NextFunction) => {
    const end = res.end;
    res.end = function (this: Response, chunk?: unknown, ...rest: unknown[]) {
      const failure = failures.get(req);
      return (end as (...args: unknown[]) => Response).call(this, failure ? JSON.stringify(failure) : chunk, ...rest);
    } as Response["end"];
    return handle(req, res, next);
  };
}
