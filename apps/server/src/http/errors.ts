import { errorMessages, type ErrorCode, type FailureResponse } from "@ocean1/contract";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import type { NextFunction, Request, Response } from "express";
import { AppError } from "../errors/app-error.js";
import { toTRPCError } from "../errors/transport.js";
import { logFailure } from "./failures.js";
import { isApiPath } from "./rest.js";

const bodyParserCodes: Record<string, ErrorCode> = {
  "entity.parse.failed": "MALFORMED_JSON",
  "entity.too.deep": "MALFORMED_JSON",
  "entity.too.large": "PAYLOAD_TOO_LARGE",
  "encoding.unsupported": "UNSUPPORTED_MEDIA_TYPE",
  "charset.unsupported": "UNSUPPORTED_MEDIA_TYPE",
};

function failure(code: ErrorCode): FailureResponse {
  return { status: "failed", code, msg: errorMessages[code] };
}

/** `/api/*` answers every handled failure with HTTP 200, because the frontend never reads a non-2xx body. */
function send(req: Request, res: Response, httpStatus: number, body: FailureResponse): void {
  res.status(isApiPath(req.originalUrl) ? 200 : httpStatus).json(body);
}

/**
 * `/trpc` callers read tRPC's error envelope, as for a failure inside a procedure: the tRPC code of
 * the table, its HTTP status, and our failure answer in `data.failure`.
 */
function sendTRPC(res: Response, body: FailureResponse): void {
  const error = toTRPCError(new AppError(body.code, body.msg));
  const httpStatus = getHTTPStatusCodeFromError(error);
  res.status(httpStatus).json({
    error: { message: body.msg, code: TRPC_ERROR_CODES_BY_KEY[error.code], data: { code: error.code, httpStatus, failure: body } },
  });
}

/** A path that is no documented operation is no outcome of one: HTTP 404 even under `/api`, so a caller's typo shows at once. */
export function notFound(_req: Request, res: Response): void {
  res.status(404).json(failure("NOT_FOUND"));
}

/** Errors raised before a procedure runs (the JSON body parser) and anything unexpected. */
export function errorHandler(error: unknown, req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(error);
  const { type, status, expose } = (error ?? {}) as { type?: unknown; status?: unknown; expose?: unknown };
  const knownCode = typeof type === "string" ? bodyParserCodes[type] : undefined;
  // Any other client error raised while reading the body (e.g. a corrupt gzip stream) is unreadable input.
  const clientError = expose === true && typeof status === "number" && status >= 400 && status < 500;
  const code = knownCode ?? (clientError ? "MALFORMED_JSON" : undefined);
  const body = failure(code ?? "INTERNAL");
  logFailure(res, error, body);
  if (req.path === "/trpc" || req.path.startsWith("/trpc/")) return sendTRPC(res, body);
  // body-parser reports a refusal of `verify` (too deep) as 403; it is bad input like any malformed body.
  const httpStatus = type === "entity.too.deep" || typeof status !== "number" ? 400 : status;
  send(req, res, code ? httpStatus : 500, body);
}
