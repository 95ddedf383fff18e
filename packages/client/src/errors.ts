import type { ErrorCode } from "@ocean1/contract";

export type RequestErrorKind = "timeout" | "network" | "http";

/**
 * Thrown — never returned — when no answer came: the per-call timeout passed, the network failed,
 * or the HTTP status was not 2xx (api.ts's `HTTP <code>`). Handled failures are returned values.
 */
export class Ocean1RequestError extends Error {
  override readonly name = "Ocean1RequestError";
  constructor(
    readonly kind: RequestErrorKind,
    message: string,
    /** The HTTP status, for kind `http`. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function timeoutError(operation: string, timeoutMs: number): Ocean1RequestError {
  return new Ocean1RequestError("timeout", `请求超时（${operation}，${timeoutMs / 1000} 秒）`);
}

export function networkError(cause: unknown): Ocean1RequestError {
  return new Ocean1RequestError("network", "网络连接失败，请检查网络后重试", undefined, { cause });
}

export function httpError(status: number): Ocean1RequestError {
  return new Ocean1RequestError("http", `HTTP ${status}`, status);
}

/** Narrows an answer to its handled failure: `{status:"failed", msg}` (with `code` when the server gave one). */
export function isFailed<T extends { status: string }>(result: T): result is Extract<T, { status: "failed" }> {
  return result.status === "failed";
}

/** Narrows an answer to its `success` member. */
export function isSuccess<T extends { status: string }>(result: T): result is Extract<T, { status: "success" }> {
  return result.status === "success";
}

/** The machine-readable code of a failure; `undefined` for any other answer. */
export function failureCode(result: { status: string; code?: ErrorCode | undefined }): ErrorCode | undefined {
  return result.status === "failed" ? result.code : undefined;
}
