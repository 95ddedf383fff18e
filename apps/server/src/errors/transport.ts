import { errorMessages, type ErrorCode, type FailureResponse } from "@ocean1/contract";
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { ZodError } from "zod";
import { AppError } from "./app-error.js";
import { describeInputIssue } from "./validation-messages.js";

/** How each code travels over tRPC; over REST every one is HTTP 200 `{status:"failed"}`. */
const trpcCodeOf: Record<ErrorCode, TRPC_ERROR_CODE_KEY> = {
  VALIDATION: "BAD_REQUEST",
  MALFORMED_JSON: "PARSE_ERROR",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  NOT_FOUND: "NOT_FOUND",
  UNAUTHENTICATED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  WRONG_PASSWORD: "UNAUTHORIZED",
  ACCOUNT_DISABLED: "FORBIDDEN",
  CLIENT_OUTDATED: "PRECONDITION_FAILED",
  EMAIL_TAKEN: "CONFLICT",
  EMAIL_NOT_REGISTERED: "NOT_FOUND",
  CODE_INVALID: "BAD_REQUEST",
  CODE_EXPIRED: "BAD_REQUEST",
  CODE_LOCKED: "TOO_MANY_REQUESTS",
  INVALID_DEVICE: "BAD_REQUEST",
  INVITE_REQUIRED: "BAD_REQUEST",
  INVITE_INVALID: "BAD_REQUEST",
  INVITE_EXHAUSTED: "CONFLICT",
  INVITE_EXPIRED: "BAD_REQUEST",
  MAIL_FAILED: "SERVICE_UNAVAILABLE",
  INSUFFICIENT_POINTS: "PAYMENT_REQUIRED",
  POINTS_LIMIT: "CONFLICT",
  CARD_INVALID: "BAD_REQUEST",
  CARD_USED: "CONFLICT",
  CARD_EXPIRED: "BAD_REQUEST",
  CARD_DISABLED: "FORBIDDEN",
  MODEL_UNKNOWN: "BAD_REQUEST",
  OPTION_UNSUPPORTED: "BAD_REQUEST",
  PROVIDER_NOT_CONFIGURED: "SERVICE_UNAVAILABLE",
  TASK_NOT_FOUND: "NOT_FOUND",
  UPLOAD_INVALID: "BAD_REQUEST",
  UPSTREAM_FAILED: "BAD_GATEWAY",
  CONTENT_MODERATED: "BAD_REQUEST",
  CHAT_FAILED: "BAD_GATEWAY",
  CHAT_MODERATED: "BAD_REQUEST",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

export function toTRPCError(error: AppError): TRPCError {
  return new TRPCError({ code: trpcCodeOf[error.code], message: error.userMessage, cause: error });
}

/** The most calls one tRPC batch may carry (`@trpc/client`'s `maxItems` should be no more). */
export const maxBatchSize = 20;
const batchTooLarge = "Batch call exceeds maximum size";

/** tRPC's own failures (before a service runs) in terms of our codes. */
const codeOfTRPCFailure: Partial<Record<TRPC_ERROR_CODE_KEY, ErrorCode>> = {
  // tRPC's own refusals of a request's form (a batch over the limit, a missing input); ours carry an AppError.
  BAD_REQUEST: "VALIDATION",
  PARSE_ERROR: "MALFORMED_JSON",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  NOT_FOUND: "NOT_FOUND",
  METHOD_NOT_SUPPORTED: "NOT_FOUND",
};

/**
 * The documented failure answer for any error, with no internals: an unexpected error
 * becomes INTERNAL (the caller logs it with the request id). Only the caller's input is
 * VALIDATION: tRPC reports a failed input parse as BAD_REQUEST, while an answer that breaks
 * its own output schema (INTERNAL_SERVER_ERROR with a ZodError cause) is a server bug.
 */
export function toFailure(error: unknown): FailureResponse {
  const cause = error instanceof TRPCError ? (error.cause ?? error) : error;
  if (cause instanceof AppError) {
    const field = cause.code === "VALIDATION" ? cause.field : undefined;
    return { status: "failed", code: cause.code, msg: cause.userMessage, ...(field ? { field } : {}) };
  }
  if (cause instanceof ZodError && error instanceof TRPCError && error.code === "BAD_REQUEST") {
    return { status: "failed", code: "VALIDATION", ...describeInputIssue(cause) };
  }
  if (error instanceof TRPCError) {
    const code = codeOfTRPCFailure[error.code];
    if (error.message === batchTooLarge) return { status: "failed", code: "VALIDATION", msg: `一次批量调用最多 ${maxBatchSize} 个操作` };
    if (code) return { status: "failed", code, msg: errorMessages[code] };
  }
  return { status: "failed", code: "INTERNAL", msg: errorMessages.INTERNAL };
}
