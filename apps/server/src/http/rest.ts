import { TRPCError, type AnyTRPCRouter } from "@trpc/server";
import type { NextFunction, Request, Response } from "express";
import { normalizePath } from "trpc-to-openapi";
import { toFailure } from "../errors/transport.js";
import type { Context } from "../trpc.js";
import { createCallerFactory } from "../trpc.js";
import { logFailure } from "./failures.js";
import { restRoutes, routeKey, type RestRoute } from "./rest-routes.js";

type Procedure = (input: unknown) => Promise<unknown>;

/** A plain path needs no WHATWG parsing: `new URL` would hand it back unchanged. */
const plainPath = /^\/[A-Za-z0-9/_-]*$/;

/** The path as trpc-to-openapi reads it: `new URL(req.url).pathname`, one leading and trailing `/` trimmed. */
function pathOf(url: string): string {
  const end = url.indexOf("?");
  const raw = end < 0 ? url : url.slice(0, end);
  if (plainPath.test(raw)) return normalizePath(raw);
  return normalizePath(new URL(url.startsWith("/") ? `http://127.0.0.1${url}` : url).pathname);
}

/** trpc-to-openapi's query input: each key's first value when it came once, empty values dropped. */
function queryInput(req: Request, route: RestRoute): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const query = req.query as Record<string, unknown>;
  for (const key of Object.keys(query)) {
    const value = query[key];
    if (value) input[key] = Array.isArray(value) && value.length === 1 ? (value[0] as unknown) : value;
  }
  for (const key of route.arrayKeys) {
    if (input[key] !== undefined && !Array.isArray(input[key])) input[key] = [input[key]];
  }
  return input;
}

function inputOf(req: Request, route: RestRoute): unknown {
  const contentType = req.headers["content-type"];
  if (route.useBody && !contentType?.startsWith("application/json")) {
    throw new TRPCError({
      code: "UNSUPPORTED_MEDIA_TYPE",
      message: contentType ? `Unsupported content-type "${contentType}` : "Missing content-type header",
    });
  }
  if (route.voidInput) return undefined;
  if (!route.useBody) return queryInput(req, route);
  // express.json() has read the body (or left `undefined` for a body it does not parse).
  return { ...(req.body as object | undefined) };
}

function send(res: Response, body: unknown): void {
  res.statusCode = 200;
  res.setHeader("Content-Type", "application/json");
  res.end(JSON.stringify(body));
}

export interface RestDispatcher {
  routes: Map<string, RestRoute>;
  /** The documented operation at this request's method and path, if any. */
  match(req: { method?: string | undefined; url?: string | undefined }): RestRoute | undefined;
  /** Answers a request of `route` whose body (if any) has been read into `req.body`. */
  dispatch(route: RestRoute, req: Request, res: Response): Promise<void>;
}

/**
 * The documented REST paths, dispatched from a Map of "METHOD path" to the procedure and called
 * through a tRPC caller: the answers of trpc-to-openapi's adapter byte for byte (which stays the
 * generator of the OpenAPI document) at a fraction of its per-request cost. Every handled failure
 * answers HTTP 200 with exactly `{status:"failed", msg, code}`.
 */
export function restDispatcher(router: AnyTRPCRouter, createContext: (req: Request, res: Response) => Context): RestDispatcher {
  const routes = restRoutes(router);
  const createCaller = createCallerFactory(router);
  return {
    routes,
    match: (req) => routes.get(routeKey(req.method ?? "", pathOf(req.url ?? "/"))),
    async dispatch(route, req, res) {
      try {
        const input = inputOf(req, route);
        const caller = createCaller(createContext(req, res)) as unknown as Record<string, Procedure>;
        const procedure = caller[route.name] as Procedure;
        send(res, await procedure(input));
      } catch (cause) {
        const error =
          cause instanceof TRPCError ? cause : new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "Internal server error", cause });
        const failure = toFailure(error);
        logFailure(res, error, failure, route.name);
        send(res, failure);
      }
    },
  };
}

/** The dispatcher as express middleware: a path that is no operation goes on to the next handler (the 404). */
export function restApi(dispatcher: RestDispatcher) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const route = dispatcher.match(req);
    if (!route) return next();
    await dispatcher.dispatch(route, req, res);
  };
}
