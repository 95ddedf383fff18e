import { TRPCError, type AnyTRPCRouter } from "@trpc/server";
import type { NextFunction, Request, Response } from "express";
import { normalizePath } from "trpc-to-openapi";
import { toFailure } from "../errors/transport.js";
import { runOperation, type Context, type OperationDefinition } from "../pipeline/run.js";
import { definitionOf } from "../trpc.js";
import { logFailure } from "./failures.js";
import { localsOf, type HasLocals } from "./request-context.js";
import { restRoutes, routeKey, type RestRoute } from "./rest-routes.js";

/** A plain path needs no WHATWG parsing: `new URL` would hand it back unchanged. */
const plainPath = /^\/[A-Za-z0-9/_-]*$/;

/**
 * The path as trpc-to-openapi reads it: `new URL(req.url).pathname`, one leading and trailing `/`
 * trimmed. A request-target that is no URL (`OPTIONS *`, `http://h:99999/`) has none.
 */
function pathOf(url: string): string | undefined {
  const end = url.indexOf("?");
  const raw = end < 0 ? url : url.slice(0, end);
  if (plainPath.test(raw)) return normalizePath(raw);
  try {
    return normalizePath(new URL(url.startsWith("/") ? `http://127.0.0.1${url}` : url).pathname);
  } catch {
    return undefined;
  }
}

/**
 * Whether a request's path is under `/api` as the operations are matched (any case, dot segments
 * resolved): every handled failure there is answered with HTTP 200.
 */
export function isApiPath(url: string): boolean {
  return /^\/api(?:\/|$)/i.test(pathOf(url) ?? "");
}

/** What a call of an operation brings: its raw input (read when the call gets that far), context and response. */
export interface RestCall {
  /** The operation's input as trpc-to-openapi reads it; throws for an unsupported content type. */
  input(): unknown;
  context: Context;
  res: HasLocals;
}

/** trpc-to-openapi's query input: each key's first value when it came once, empty values dropped. */
export function queryInput(query: Record<string, unknown>, route: RestRoute): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const key of Object.keys(query)) {
    const value = query[key];
    if (value) input[key] = Array.isArray(value) && value.length === 1 ? (value[0] as unknown) : value;
  }
  for (const key of route.arrayKeys) {
    if (input[key] !== undefined && !Array.isArray(input[key])) input[key] = [input[key]];
  }
  return input;
}

/** The input of a call whose body (if any) has been parsed, as trpc-to-openapi's adapter reads it. */
export function restInput(route: RestRoute, contentType: string | undefined, body: unknown, query: () => Record<string, unknown>): unknown {
  if (route.useBody && !contentType?.startsWith("application/json")) {
    throw new TRPCError({
      code: "UNSUPPORTED_MEDIA_TYPE",
      message: contentType ? `Unsupported content-type "${contentType}` : "Missing content-type header",
    });
  }
  if (route.voidInput) return undefined;
  if (!route.useBody) return queryInput(query(), route);
  // The JSON body parser has read the body (or left `undefined` for a body it does not parse).
  return { ...(body as object | undefined) };
}

export interface RestDispatcher {
  routes: Map<string, RestRoute>;
  /** The operation served at a route. */
  operationOf(route: RestRoute): OperationDefinition;
  /** The documented operation at this request's method and path, if any. */
  match(req: { method?: string | undefined; url?: string | undefined }): RestRoute | undefined;
  /** The body of the answer to a call of `route`: the operation's output, or the failure answer (logged). Never rejects. */
  answer(route: RestRoute, call: RestCall): Promise<unknown>;
}

/**
 * The documented REST paths, dispatched from a Map of "METHOD path" to the operation: the answers
 * of trpc-to-openapi's adapter byte for byte (which stays the generator of the OpenAPI document)
 * at a fraction of its per-request cost. Every handled failure answers HTTP 200 with exactly
 * `{status:"failed", msg, code}`.
 */
export function restDispatcher(router: AnyTRPCRouter): RestDispatcher {
  const routes = restRoutes(router);
  const procedures = router._def.procedures as Record<string, object>;
  const definitions = new Map<RestRoute, OperationDefinition>();
  for (const route of routes.values()) {
    const operation = definitionOf(procedures[route.name] ?? {});
    if (!operation) throw new Error(`${route.name} is served over REST but was not defined as an operation (trpc.ts)`);
    definitions.set(route, operation);
  }
  return {
    routes,
    operationOf: (route) => definitions.get(route) as OperationDefinition,
    match(req) {
      const path = pathOf(req.url ?? "/");
      return path === undefined ? undefined : routes.get(routeKey(req.method ?? "", path));
    },
    async answer(route, call) {
      localsOf(call.res).operation = route.name;
      try {
        // The input as trpc-to-openapi reads it, before anything else (an unsupported content type first).
        const input = call.input();
        return await runOperation(definitions.get(route) as OperationDefinition, { context: call.context, input: () => input });
      } catch (cause) {
        const error =
          cause instanceof TRPCError ? cause : new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "Internal server error", cause });
        const failure = toFailure(error);
        logFailure(call.res, error, failure, route.name);
        return failure;
      }
    },
  };
}

/**
 * The dispatcher as express middleware, for what the fast path (fast-rest.ts) leaves to express:
 * a path that is no operation goes on to the next handler (the 404).
 */
export function restApi(dispatcher: RestDispatcher, contextOf: (req: Request, res: Response) => Context) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const route = dispatcher.match(req);
    if (!route) return next();
    const body = await dispatcher.answer(route, {
      input: () => restInput(route, req.headers["content-type"], req.body, () => req.query as Record<string, unknown>),
      context: contextOf(req, res),
      res,
    });
    res.statusCode = 200;
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify(body));
  };
}
