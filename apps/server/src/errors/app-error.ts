import { errorMessages, type ErrorCode } from "@ocean1/contract";

/**
 * The one error a service, the reconciler or the CLI throws for a handled failure. It imports no
 * transport: tRPC and REST each translate it at their edge (`errors/transport.ts`).
 */
export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: ErrorCode,
    /** A more precise Chinese message than the code's default, shown to the user. */
    readonly userMessage: string = errorMessages[code],
    /** The input field a `VALIDATION` failure is about. */
    readonly field?: string,
  ) {
    super(`${code}: ${userMessage}`);
  }
}
