import { authHeaders, type NamedOperation } from "@ocean1/contract";
import type { IncomingHttpHeaders } from "node:http";
import { initTRPC } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import type { z } from "zod";
import type { AppDeps } from "./deps.js";
import { AppError } from "./errors/app-error.js";
import { toFailure, toTRPCError } from "./errors/transport.js";
import type { RequestLocals } from "./http/request-context.js";
import type { Logger } from "./logger.js";
import { authenticate } from "./modules/auth/authenticate.js";
import type { AuthenticatedUser } from "./modules/auth/sessions.js";

export interface RequestInfo {
  requestId: string;
  ip: string;
  /** Header `x-user-email`, trimmed and lower-cased. */
  email: string | undefined;
  /** Header `x-device-id`. */
  deviceId: string | undefined;
  log: Logger;
}

export interface Context {
  deps: AppDeps;
  request: RequestInfo;
}

/** Separate from the HTTP adapter so that tests can `createCaller` without HTTP. */
export function createContextInner(deps: AppDeps, request: RequestInfo): Context {
  return { deps, request };
}

/** The request as procedures see it; the logger is the request's own, made when first used. */
export function requestInfo(locals: RequestLocals, ip: string, headers: IncomingHttpHeaders): RequestInfo {
  return {
    requestId: locals.requestId,
    ip,
    ...readAuthHeaders(headers),
    get log() {
      return locals.log;
    },
  };
}

export function readAuthHeaders(headers: Record<string, string | string[] | undefined>): Pick<RequestInfo, "email" | "deviceId"> {
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
  return { email: first(headers[authHeaders.email])?.toLowerCase(), deviceId: first(headers[authHeaders.deviceId]) };
}

const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
    isDev: false,
    // The message is the failure's own, for people: never an internal one (`connect ECONNREFUSED …`).
    errorFormatter: ({ shape, error }) => {
      const failure = toFailure(error);
      return { ...shape, message: failure.msg, data: { ...shape.data, field: failure.field, failure } };
    },
  });

export const router = t.router;
export const mergeRouters = t.mergeRouters;
export const createCallerFactory = t.createCallerFactory;

/** Services throw AppError; over tRPC it travels as the tRPC code of the one mapping table. */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) throw toTRPCError(result.error.cause);
  return result;
});

export const publicProcedure = t.procedure.use(appErrors);

/** Narrows the context to the user of the active session named by `x-user-email` + `x-device-id`. */
export const protectedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const user = await authenticate(ctx.deps, ctx.request);
  return next({ ctx: { user } });
});

function openApiMeta(op: NamedOperation): OpenApiMeta {
  return {
    openapi: {
      method: op.method,
      path: op.path,
      summary: op.summary,
      tags: [op.tag],
      protect: op.authenticated,
      operationId: op.name,
    },
  };
}

interface OperationSchemas<TInput extends z.ZodType, TOutput extends z.ZodType> extends NamedOperation {
  input: TInput;
  output: TOutput;
}

export type AuthenticatedContext = Context & { user: AuthenticatedUser };

/** The resolver tRPC's builder takes for an operation: its input parsed, its answer checked against the output schema. */
type PublicResolver<TInput extends z.ZodType, TOutput extends z.ZodType> = Parameters<
  ReturnType<typeof publicBuilder<TInput, TOutput>>["mutation"]
>[0];
type ProtectedResolver<TInput extends z.ZodType, TOutput extends z.ZodType> = Parameters<
  ReturnType<typeof protectedBuilder<TInput, TOutput>>["mutation"]
>[0];

/**
 * What an operation is, apart from tRPC: its contract entry (schemas), whether it needs the
 * active session, and its resolver. tRPC's procedure runs it through its middleware chain; the
 * REST dispatcher (`http/rest.ts`) runs the same steps in the same order without the chain.
 */
export interface OperationHandler {
  op: NamedOperation;
  authenticated: boolean;
  resolve(opts: { ctx: AuthenticatedContext; input: unknown }): Promise<unknown> | unknown;
}

const handlers = new WeakMap<object, OperationHandler>();

/** The handler behind a procedure defined with one of the functions below. */
export function handlerOf(procedure: object): OperationHandler | undefined {
  return handlers.get(procedure);
}

function registered<TProcedure extends object>(
  procedure: TProcedure,
  op: NamedOperation,
  kind: "query" | "mutation",
  authenticated: boolean,
  resolve: OperationHandler["resolve"],
): TProcedure {
  // A GET is read with tRPC's query, anything else is a mutation: the client calls each accordingly.
  if ((op.method === "GET") !== (kind === "query")) throw new Error(`${op.name}: a ${op.method} operation cannot be a ${kind}`);
  handlers.set(procedure, { op, authenticated, resolve });
  return procedure;
}

function publicBuilder<TInput extends z.ZodType, TOutput extends z.ZodType>(op: OperationSchemas<TInput, TOutput>) {
  return publicProcedure.meta(openApiMeta(op)).input(op.input).output(op.output);
}

function protectedBuilder<TInput extends z.ZodType, TOutput extends z.ZodType>(op: OperationSchemas<TInput, TOutput>) {
  return protectedProcedure.meta(openApiMeta(op)).input(op.input).output(op.output);
}

/** A public POST operation of the contract: its documented method, path and schemas. */
export function publicMutation<TInput extends z.ZodType, TOutput extends z.ZodType>(
  op: OperationSchemas<TInput, TOutput>,
  resolve: PublicResolver<TInput, TOutput>,
) {
  return registered(publicBuilder(op).mutation(resolve), op, "mutation", false, resolve as unknown as OperationHandler["resolve"]);
}

/** A GET operation for the caller of the active session (`ctx.user`). */
export function protectedQuery<TInput extends z.ZodType, TOutput extends z.ZodType>(
  op: OperationSchemas<TInput, TOutput>,
  resolve: ProtectedResolver<TInput, TOutput>,
) {
  return registered(protectedBuilder(op).query(resolve), op, "query", true, resolve as unknown as OperationHandler["resolve"]);
}

/** A POST operation for the caller of the active session (`ctx.user`). */
export function protectedMutation<TInput extends z.ZodType, TOutput extends z.ZodType>(
  op: OperationSchemas<TInput, TOutput>,
  resolve: ProtectedResolver<TInput, TOutput>,
) {
  return registered(protectedBuilder(op).mutation(resolve), op, "mutation", true, resolve as unknown as OperationHandler["resolve"]);
}
