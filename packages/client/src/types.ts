import type {
  ApiResponse,
  CatChatResponse as ContractCatChatResponse,
  CreateTaskResponse,
  ErrorCode,
  FailureResponse,
  GenerationResult,
  GetHistoryResponse,
  HeartbeatResponse as ContractHeartbeatResponse,
  JimengCreateResponse,
  ListTasksResponse,
  LoginResponse as ContractLoginResponse,
  QueryResultResponse,
  RedeemCardResponse as ContractRedeemCardResponse,
  TaskSnapshot,
} from "@ocean1/contract";

/** A handled failure, exactly as the REST API answers it (HTTP 200). */
export type Failure = FailureResponse;

type KeysOfUnion<U> = U extends unknown ? keyof U : never;

/**
 * A union whose every member also admits the other members' keys as `undefined`, plus the keys
 * of `ApiResponse` (`status`, `msg`, `data`). Code written against api.ts's loose types reads
 * `res.data?.points` or `res.msg` without narrowing first: that must still compile, while
 * `res.status === "success"` narrows to the exact answer.
 */
export type Answer<U, All = U> = U extends unknown
  ? U & { [K in Exclude<KeysOfUnion<All> | keyof ApiResponse, keyof U>]?: undefined }
  : never;

/** The answer of an operation, or the failure the server answered instead. */
export type Result<T> = Answer<T | Failure>;

export type LoginResponse = Result<ContractLoginResponse>;
/** register, sendCode, resetPassword: `{status:"success", msg}` or a failure. */
export type MessageResponse = Result<{ status: "success"; msg: string }>;
export type HeartbeatResponse = Result<ContractHeartbeatResponse>;
export type HistoryResponse = Result<GetHistoryResponse>;
export type RedeemCardResponse = Result<ContractRedeemCardResponse>;
/**
 * Sora / Banana: the task as it stands when the call returns. The contract's one shape with
 * `status: "success" | "failed"` is split in two, so that `isFailed` narrows it.
 */
export type CreateTaskResult = Result<
  | (Omit<CreateTaskResponse, "status"> & { status: "success" })
  | (Omit<CreateTaskResponse, "status" | "msg"> & { status: "failed"; msg: string })
>;
export type QueryResultResult = Result<QueryResultResponse>;
/** Jimeng: answers at once with the pending task. */
export type JimengCreateResult = Result<JimengCreateResponse>;
export type CatChatResponse = Result<ContractCatChatResponse>;
/** Beyond api.ts: the user's own tasks, newest first. */
export type ListTasksResult = Result<ListTasksResponse>;

/** A progress event of a create call or of `watchTask` (`msg` says why a task failed). */
export type TaskProgress = TaskSnapshot & { msg?: string };
export type { ErrorCode, GenerationResult, TaskSnapshot };
export type { TaskKind, TaskSummary } from "@ocean1/contract";

/** What the client keeps between page loads: `window.localStorage` in a browser. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
