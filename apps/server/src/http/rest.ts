import { TRPCError, type AnyTRPCRouter } from "@trpc/server";
import type { NextFunction, Request, Response } from "express";
import { normalizePath } from "trpc-to-openapi";
import { AppError } from "../errors/app-error.js";
import { toFailure, toTRPCError } from "../errors/transport.js";
import { authenticate } from "../modules/auth/authenticate.js";
import type { z } from "zod";
import type { AuthenticatedContext, Context, OperationHandler } from "../trpc.js";
import { handlerOf } from "../trpc.js";
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

/** zod's parse, synchronous unless the schema needs otherwise (as tRPC's parser does it). */
async function parse(schema: z.ZodType, value: unknown) {
  try {
    return schema.safeParse(value);
  } catch {
    return await schema.safeParseAsync(value);
  }
}

/**
 * One call of an operation, in the steps and order of trpc-to-openapi's adapter and the tRPC
 * procedure (trpc.ts): the input read from the request, the session check of a protected
 * operation, the input parse, the resolver, the output check. Without tRPC's middleware chain and
 * its per-step copies of the call's options. Failures are the errors tRPC would raise, so they
 * are answered and logged alike. The fast `/trpc` path (fast-trpc.ts) runs it too.
 */
export async function callOperation(handler: OperationHandler, call: RestCall): Promise<unknown> {
  const rawInput = call.input();
  try {
    const { context } = call;
    const ctx = handler.authenticated ? { ...context, user: await authenticate(context.deps, context.request) } : context;
    const input = await parse(handler.op.input, rawInput);
    if (!input.success) throw new TRPCError({ code: "BAD_REQUEST", cause: input.error });
    const data = await handler.resolve({ ctx: ctx as AuthenticatedContext, input: input.data });
    const output = await parse(handler.op.output, data);
    if (!output.success) throw new TRPCError({ message: "Output validation failed", code: "INTERNAL_SERVER_ERROR", cause: output.error });
    return output.data;
  } catch (cause) {
    throw cause instanceof AppError ? toTRPCError(cause) : cause;
  }
}

export interface RestDispatcher {
  routes: Map<string, RestRoute>;
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
  const handlers = new Map<RestRoute, OperationHandler>();
  for (const route of routes.values()) {
    const handler = handlerOf(procedures[route.name] ?? {});
    if (!handler) throw new Error(`${route.name} is served over REST but was not defined as an operation (trpc.ts)`);
    handlers.set(route, handler);
  }
  return {
    routes,
    match(req) {
      const path = pathOf(req.url ?? "/");
      return path === undefined ? undefined : routes.get(routeKey(req.method ?? "", path));
    },
    async answer(route, call) {
      localsOf(call.res).operation = route.name;
      try {
        return await callOperation(handlers.get(route) as OperationHandler, call);
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
