import type { NamedOperation } from "@ocean1/contract";
import { TRPCError } from "@trpc/server";
import type { z } from "zod";
import type { AppDeps } from "../deps.js";
import { AppError } from "../errors/app-error.js";
import { toTRPCError } from "../errors/transport.js";
import { authenticate } from "../modules/auth/authenticate.js";
import type { AuthenticatedUser } from "../modules/auth/sessions.js";
import type { RequestInfo } from "./rule.js";

/** What every operation runs with, whichever way it came in. */
export interface Context {
  deps: AppDeps;
  request: RequestInfo;
}

export type AuthenticatedContext = Context & { user: AuthenticatedUser };

/** The bytes of the file of a multipart call (field `image`), as the form reader hands them on. */
export interface Upload {
  bytes: Buffer;
}

/** How an operation's answer is carried beyond a plain JSON answer. */
export type Carriage =
  /** One JSON answer. */
  | "plain"
  /** Started at once and answered when the work ends: a held transport writes keep-alives meanwhile (held-answer.ts). */
  | "held"
  /** Also readable as a multipart form with one file (`call.upload`). */
  | "multipart";

export interface ResolverArgs<TCtx, TInput> {
  ctx: TCtx;
  input: TInput;
  /** The file of a multipart call, when one was sent. */
  upload?: Upload | undefined;
}

/**
 * One operation, defined once (trpc.ts's builders): its contract row, whether it needs the active
 * session, its resolver, how it is carried. Every transport runs it through `runOperation`.
 */
export interface OperationDefinition {
  op: NamedOperation;
  type: "query" | "mutation";
  /** The caller must name the active session (`x-user-email` + `x-device-id`); the resolver gets `ctx.user`. */
  session: boolean;
  carriage: Carriage;
  resolve(args: ResolverArgs<AuthenticatedContext, unknown>): unknown;
  /** A held operation's answer once the work that `resolve` started ends; a plain transport waits for it. */
  finish?(ctx: AuthenticatedContext, started: unknown): Promise<unknown>;
}

/** One call, as a transport hands it to `runOperation`. */
export interface OperationCall {
  context: Context;
  /**
   * The call's raw input, read once the session check and the rules have passed: the transport's
   * already parsed body or query, tRPC's `getRawInput`, or a multipart form being read.
   */
  input(): unknown;
  /** The file that `input()` read from a multipart form, if any. */
  upload?(): Upload | undefined;
  /**
   * A held transport takes the started work here and answers by itself; `runOperation` then
   * resolves `undefined`. Without it a held operation's call waits for its `finish`.
   */
  hold?(started: unknown, ctx: AuthenticatedContext): void;
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
 * The one way into an operation, for every transport: tRPC's procedures (trpc.ts), the REST
 * dispatcher and both fast paths (http/), the held and multipart routes. The steps: the session
 * check, the rules, the input read and parsed, the resolver, the output checked against the
 * contract. Failures are the errors tRPC would raise (an AppError as its tRPC error), so every
 * transport answers and logs them alike.
 */
export async function runOperation(operation: OperationDefinition, call: OperationCall): Promise<unknown> {
  try {
    const { context } = call;
    const ctx = operation.session ? { ...context, user: await authenticate(context.deps, context.request) } : context;
    const rules = context.deps.operationRules;
    if (rules !== undefined) {
      const seen = { op: operation.op, type: operation.type, request: context.request, user: "user" in ctx ? ctx.user : undefined };
      for (const rule of rules) await rule(seen);
    }
    const input = await parse(operation.op.input, await call.input());
    if (!input.success) throw new TRPCError({ code: "BAD_REQUEST", cause: input.error });
    const args = { ctx: ctx as AuthenticatedContext, input: input.data, upload: call.upload?.() };
    let data = await operation.resolve(args);
    if (operation.finish) {
      if (call.hold) return call.hold(data, args.ctx);
      data = await operation.finish(args.ctx, data);
    }
    const output = await parse(operation.op.output, data);
    if (!output.success) throw new TRPCError({ message: "Output validation failed", code: "INTERNAL_SERVER_ERROR", cause: output.error });
    return output.data;
  } catch (cause) {
    throw cause instanceof AppError ? toTRPCError(cause) : cause;
  }
}
