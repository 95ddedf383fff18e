import type { ErrorCode, OperationName } from "@ocean1/contract";

/** Codes any operation can answer: bad input, a malformed body, an unexpected failure. */
export const commonFailures: readonly ErrorCode[] = [
  "VALIDATION",
  "MALFORMED_JSON",
  "UNSUPPORTED_MEDIA_TYPE",
  "PAYLOAD_TOO_LARGE",
  "INTERNAL",
];

/**
 * Answered by every authenticated operation (`authenticate`): headers that name no active session,
 * or a device id no session can have (`"server"`, too short).
 */
export const sessionFailures: readonly ErrorCode[] = ["UNAUTHENTICATED", "INVALID_DEVICE"];

const codeChecks: readonly ErrorCode[] = ["CODE_INVALID", "CODE_EXPIRED", "CODE_LOCKED"];
const invites: readonly ErrorCode[] = ["INVITE_REQUIRED", "INVITE_INVALID", "INVITE_EXHAUSTED", "INVITE_EXPIRED"];
/** A generation's create: the catalogue's checks, the provider, the charge. */
const generationCreate: readonly ErrorCode[] = ["MODEL_UNKNOWN", "OPTION_UNSUPPORTED", "PROVIDER_NOT_CONFIGURED", "INSUFFICIENT_POINTS"];
const jimengCreate: readonly ErrorCode[] = [...generationCreate, "UPLOAD_INVALID"];

/**
 * The codes each operation answers besides the common ones, as its service throws them. Typed by
 * operation name, so an operation added to the contract does not compile until it is listed here.
 * Operations not served yet list the codes they are expected to answer; the work that serves them corrects the list.
 */
export const operationFailures: Record<OperationName, readonly ErrorCode[]> = {
  login: ["WRONG_PASSWORD", "ACCOUNT_DISABLED", "INVALID_DEVICE", "CLIENT_OUTDATED", "RATE_LIMITED", "MAIL_FAILED"],
  register: ["EMAIL_TAKEN", ...codeChecks, ...invites],
  sendCode: ["RATE_LIMITED", "MAIL_FAILED"],
  loginVerify: [...codeChecks, "ACCOUNT_DISABLED"],
  resetPassword: ["EMAIL_NOT_REGISTERED", ...codeChecks],
  heartbeat: ["INVALID_DEVICE"],
  getHistory: [],
  redeemCard: ["CARD_INVALID", "CARD_USED", "CARD_EXPIRED", "CARD_DISABLED", "FORBIDDEN", "RATE_LIMITED"],
  soraCreate: generationCreate,
  bananaCreate: generationCreate,
  queryResult: ["TASK_NOT_FOUND"],
  listTasks: ["TASK_NOT_FOUND"],
  jimengVideoCreate: jimengCreate,
  jimengImageCreate: jimengCreate,
  catChat: ["PROVIDER_NOT_CONFIGURED", "INSUFFICIENT_POINTS", "CHAT_FAILED", "CHAT_MODERATED"],
};
