import type { IncomingHttpHeaders } from "node:http";
import type { AnyTRPCRouter } from "@trpc/server";
import type express from "express";
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "../logger.js";
import type { Context } from "../trpc.js";
import { errorHandler, notFound } from "./errors.js";
import { installFastRest } from "./fast-rest.js";
import { trpcDispatcher } from "./fast-trpc.js";
import { frontHeaders } from "./front-headers.js";
import { localsOf, type RequestLocals } from "./request-context.js";
import { restApi, restDispatcher } from "./rest.js";

type Middleware = (req: Request, res: Response, next: NextFunction) => void;

export interface RestApiOptions {
  router: AnyTRPCRouter;
  logger: Logger;
  /** The middleware that only sets headers on every answer (security headers, CORS), already mounted on the app. */
  headerMiddleware: Middleware[];
  contextOf(ip: string, headers: IncomingHttpHeaders, locals: RequestLocals): Context;
  /** express.json()'s limit, in bytes. */
  bodyLimit: number;
  /** Whether `/trpc` is mounted (tRPC's express middleware): its plain calls are then answered by the fast path too. */
  trpc?: boolean;
}

/** The same context for a request that went through express (its `req.ip` honours `trust proxy`). */
export function expressContext(contextOf: RestApiOptions["contextOf"]): (req: Request, res: Response) => Context {
  return (req, res) => contextOf(req.ip ?? req.socket.remoteAddress ?? "unknown", req.headers, localsOf(res));
}

/**
 * The documented REST operations of `router`, mounted last: express's route for what is unusual,
 * then the 404 and the error handler, and the fast path (fast-rest.ts) ahead of express for a
 * plain call, of a REST operation or (with `trpc`) of a procedure under `/trpc` (fast-trpc.ts). `createApp` and the bench's reference server serve `/api` through this one function.
 */
export function installRestApi(app: express.Express, options: RestApiOptions): void {
  const { router, logger, headerMiddleware, contextOf, bodyLimit } = options;
  const dispatcher = restDispatcher(router);
  app.use(restApi(dispatcher, expressContext(contextOf)));
  app.use(notFound);
  app.use(errorHandler);
  installFastRest(app, {
    dispatcher,
    ...(options.trpc ? { trpc: trpcDispatcher(router) } : {}),
    logger,
    headersFor: frontHeaders(headerMiddleware),
    contextOf,
    bodyLimit,
    errorHandler,
  });
}
