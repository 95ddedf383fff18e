import { authHeaders, type NamedOperation } from "@ocean1/contract";
import { initTRPC } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import type { z } from "zod";
import type { AppDeps } from "./deps.js";
import { AppError } from "./errors/app-error.js";
import { toFailure, toTRPCError } from "./errors/transport.js";
import type { Logger } from "./logger.js";
import { authenticate } from "./modules/auth/authenticate.js";

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

/** A public procedure with the documented method, path and schemas of an operation of the contract. */
export function publicOperation<TInput extends z.ZodType, TOutput extends z.ZodType>(op: OperationSchemas<TInput, TOutput>) {
  return publicProcedure.meta(openApiMeta(op)).input(op.input).output(op.output);
}

/** The same, for a caller that must be the active session (`ctx.user`). */
export function protectedOperation<TInput extends z.ZodType, TOutput extends z.ZodType>(op: OperationSchemas<TInput, TOutput>) {
  return protectedProcedure.meta(openApiMeta(op)).input(op.input).output(op.output);
}
