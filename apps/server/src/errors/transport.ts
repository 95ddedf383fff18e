import { errorMessages, type ErrorCode, type FailureResponse } from "@ocean1/contract";
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { ZodError, z } from "zod";
import { AppError } from "./app-error.js";

// Validation messages reach the user in `msg`: zod speaks Chinese here.
z.config(z.locales.zhCN());

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
  CARD_INVALID: "BAD_REQUEST",
  CARD_USED: "CONFLICT",
  CARD_EXPIRED: "BAD_REQUEST",
  CARD_DISABLED: "FORBIDDEN",
  PROVIDER_NOT_CONFIGURED: "SERVICE_UNAVAILABLE",
  CHAT_FAILED: "BAD_GATEWAY",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

export function toTRPCError(error: AppError): TRPCError {
  return new TRPCError({ code: trpcCodeOf[error.code], message: error.userMessage, cause: error });
}

/** tRPC's own failures (before a service runs) in terms of our codes. */
const codeOfTRPCFailure: Partial<Record<TRPC_ERROR_CODE_KEY, ErrorCode>> = {
  PARSE_ERROR: "MALFORMED_JSON",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  NOT_FOUND: "NOT_FOUND",
  METHOD_NOT_SUPPORTED: "NOT_FOUND",
};

function describeZodError(error: ZodError): string {
  const issue = error.issues[0];
  if (!issue) return errorMessages.VALIDATION;
  const field = issue.path.length > 0 ? issue.path.join(".") : "请求体";
  return `${errorMessages.VALIDATION}：${field} ${issue.message}`;
}

/**
 * The documented failure answer for any error, with no internals: an unexpected error
 * becomes INTERNAL (the caller logs it with the request id).
 */
export function toFailure(error: unknown): FailureResponse {
  const cause = error instanceof TRPCError ? (error.cause ?? error) : error;
  if (cause instanceof AppError) return { status: "failed", code: cause.code, msg: cause.userMessage };
  if (cause instanceof ZodError) return { status: "failed", code: "VALIDATION", msg: describeZodError(cause) };
  if (error instanceof TRPCError) {
    const code = codeOfTRPCFailure[error.code];
    if (code) return { status: "failed", code, msg: errorMessages[code] };
  }
  return { status: "failed", code: "INTERNAL", msg: errorMessages.INTERNAL };
}
