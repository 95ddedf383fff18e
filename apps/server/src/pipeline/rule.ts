import type { NamedOperation } from "@ocean1/contract";
import type { Logger } from "../logger.js";
import type { AuthenticatedUser } from "../modules/auth/sessions.js";

/** The request as every transport describes it to the pipeline. */
export interface RequestInfo {
  requestId: string;
  ip: string;
  /** Header `x-user-email`, trimmed and lower-cased. */
  email: string | undefined;
  /** Header `x-device-id`. */
  deviceId: string | undefined;
  log: Logger;
}

/** What a rule sees of one call: the operation and the caller (its user once the session check passed). */
export interface RuleCall {
  op: NamedOperation;
  type: "query" | "mutation";
  request: RequestInfo;
  /** Set for an operation that needs the session. */
  user: AuthenticatedUser | undefined;
}

/**
 * A rule every call of every operation passes, after the session check and before its input is
 * read (pipeline/run.ts): it refuses by throwing an AppError, or only looks (an audit line, a
 * metric). The app's rules are `deps.operationRules`; a rule reaches what else it needs by closure.
 */
export type OperationRule = (call: RuleCall) => void | Promise<void>;
