import { authHeaders, type NamedOperation } from "@ocean1/contract";
import type { IncomingHttpHeaders } from "node:http";
import { initTRPC } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import type { z } from "zod";
import type { AppDeps } from "./deps.js";
import { toFailure } from "./errors/transport.js";
import type { RequestLocals } from "./http/request-context.js";
import {
  runOperation,
  type AuthenticatedContext,
  type Carriage,
  type Context,
  type OperationDefinition,
  type ResolverArgs,
} from "./pipeline/run.js";
import type { RequestInfo } from "./pipeline/rule.js";

export type { AuthenticatedContext, Context } from "./pipeline/run.js";
export type { RequestInfo } from "./pipeline/rule.js";

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

/**
 * A procedure's only step: the operation's pipeline (pipeline/run.ts) on tRPC's raw input. It
 * answers the call itself and never calls `next`: the procedure's `.input()` and `.output()` give
 * the types, the OpenAPI document and trpc-to-openapi's coercion, and every rule is the pipeline's.
 * tRPC takes a middleware's own `{ ok: true, data }` as the call's result (pinned by
 * pipeline/upgrade-seams.test.ts).
 */
function pipelineStep(operation: OperationDefinition) {
  // `next` only names the type of the result the step returns in its place.
  return t.middleware(async ({ ctx, getRawInput, next: _next }) => {
    const data = await runOperation(operation, { context: ctx, input: getRawInput });
    return { ok: true, data, marker: "middlewareMarker" } as unknown as Awaited<ReturnType<typeof _next>>;
  });
}

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

type Answer<TOutput extends z.ZodType> = z.input<TOutput> | Promise<z.input<TOutput>>;
type Resolver<TCtx, TInput extends z.ZodType, TOutput extends z.ZodType> = (args: ResolverArgs<TCtx, z.output<TInput>>) => Answer<TOutput>;

const definitions = new WeakMap<object, OperationDefinition>();

/** The operation behind a procedure defined with one of the builders below. */
export function definitionOf(procedure: object): OperationDefinition | undefined {
  return definitions.get(procedure);
}

const answeredByThePipeline = (): never => {
  throw new Error("unreachable: the pipeline step answers every call");
};

function builder<TInput extends z.ZodType, TOutput extends z.ZodType>(
  operation: OperationDefinition,
  op: OperationSchemas<TInput, TOutput>,
) {
  // A GET is read with tRPC's query, anything else is a mutation: the client calls each accordingly.
  if ((op.method === "GET") !== (operation.type === "query"))
    throw new Error(`${op.name}: a ${op.method} operation cannot be a ${operation.type}`);
  return t.procedure.meta(openApiMeta(op)).use(pipelineStep(operation)).input(op.input).output(op.output);
}

function defined<TProcedure extends object>(procedure: TProcedure, operation: OperationDefinition): TProcedure {
  definitions.set(procedure, operation);
  return procedure;
}

function definition(
  op: NamedOperation,
  type: OperationDefinition["type"],
  session: boolean,
  resolve: unknown,
  carriage: Carriage = "plain",
) {
  return { op, type, session, carriage, resolve: resolve as OperationDefinition["resolve"] } satisfies OperationDefinition;
}

/** A POST operation open to anyone (its resolver may still read the session headers). */
export function publicMutation<TInput extends z.ZodType, TOutput extends z.ZodType>(
  op: OperationSchemas<TInput, TOutput>,
  resolve: Resolver<Context, TInput, TOutput>,
) {
  const operation = definition(op, "mutation", false, resolve);
  return defined(builder(operation, op).mutation(answeredByThePipeline), operation);
}

/** A GET operation for the caller of the active session (`ctx.user`). */
export function protectedQuery<TInput extends z.ZodType, TOutput extends z.ZodType>(
  op: OperationSchemas<TInput, TOutput>,
  resolve: Resolver<AuthenticatedContext, TInput, TOutput>,
) {
  const operation = definition(op, "query", true, resolve);
  return defined(builder(operation, op).query(answeredByThePipeline), operation);
}

/**
 * A POST operation for the caller of the active session (`ctx.user`); with `carriage: "multipart"`
 * also served as a multipart form whose file the resolver gets as `upload`.
 */
export function protectedMutation<TInput extends z.ZodType, TOutput extends z.ZodType>(
  op: OperationSchemas<TInput, TOutput>,
  resolve: Resolver<AuthenticatedContext, TInput, TOutput>,
  options: { carriage?: "plain" | "multipart" } = {},
) {
  const operation = definition(op, "mutation", true, resolve, options.carriage);
  return defined(builder(operation, op).mutation(answeredByThePipeline), operation);
}

/**
 * A POST operation for the caller of the active session whose answer is held: `start` begins the
 * work and `finish` answers once it ends. A held transport writes keep-alives meanwhile and
 * answers from what `start` returned (held-routes.ts); tRPC and the other transports wait for `finish`.
 */
export function heldMutation<TInput extends z.ZodType, TOutput extends z.ZodType, TStarted>(
  op: OperationSchemas<TInput, TOutput>,
  held: {
    start(args: ResolverArgs<AuthenticatedContext, z.output<TInput>>): Promise<TStarted>;
    finish(ctx: AuthenticatedContext, started: TStarted): Promise<z.input<TOutput>>;
  },
) {
  const operation: OperationDefinition = {
    ...definition(op, "mutation", true, held.start, "held"),
    finish: held.finish as OperationDefinition["finish"],
  };
  return defined(builder(operation, op).mutation(answeredByThePipeline), operation);
}
