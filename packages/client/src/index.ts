/**
 * `@ocean1/client`: the typed client the frontend imports in place of its hand-written `api.ts`.
 * The top-level functions have api.ts's names, parameters and results; handled failures are
 * returned as `{status:"failed", msg, code}`, and only a timeout or a network error throws.
 */
import type {
  ChatMessage,
  GetHistoryRequest,
  JimengImageCreateRequest,
  JimengVideoCreateRequest,
  ListTasksRequest,
} from "@ocean1/contract";
import type { CreateTaskOptions, WatchTaskOptions } from "./client.js";
import { defaultClient } from "./default-client.js";
import type { TaskProgress } from "./types.js";

/** `POST /api/auth/login`: success (the email is then kept in storage), `NEED_VERIFY` for a new device (a code was emailed), or a failure. */
export const login = (email: string, password: string) => defaultClient().login(email, password);
/** `POST /api/auth/register` with the code of `sendCode`; the registering device becomes trusted. */
export const register = (email: string, password: string, nickname: string, inviteCode: string, verifyCode: string) =>
  defaultClient().register(email, password, nickname, inviteCode, verifyCode);
/** `POST /api/auth/send_code`: emails a code for register / resetPassword. */
export const sendCode = (email: string) => defaultClient().sendCode(email);
/** `POST /api/auth/login_verify` with the code a new-device login emailed; answers like a successful login. */
export const loginVerify = (email: string, code: string) => defaultClient().loginVerify(email, code);
/** `POST /api/auth/reset_password` with the code of `sendCode`; every session ends. */
export const resetPassword = (email: string, newPassword: string, verifyCode: string) =>
  defaultClient().resetPassword(email, newPassword, verifyCode);
/** `POST /api/user/heartbeat` (every 30 s): `ok` (with `has_reward`), or `rejected` when another device logged in. */
export const heartbeat = (email: string) => defaultClient().heartbeat(email);
/** `GET /api/user/history`: newest first, the balance is `data[0].balance_after`; optional `{limit, before}`. */
export const getHistory = (page?: GetHistoryRequest) => defaultClient().getHistory(page);
/** Local only, as api.ts: forgets the stored email. */
export const logout = (): void => defaultClient().logout();
/** `POST /api/pay/redeem`: `{status:"success", msg:"充值成功", new_points}`. */
export const redeemCard = (email: string, cardKey: string) => defaultClient().redeemCard(email, cardKey);
/** `POST /api/proxy/sora` (`size:"small"`), held until the task ends; `options.onProgress` streams progress. */
export const soraCreate = (
  prompt: string,
  model: string,
  aspectRatio: string,
  duration: number,
  imgUrl?: string,
  options?: CreateTaskOptions,
) => defaultClient().soraCreate(prompt, model, aspectRatio, duration, imgUrl, options);
/** `POST /api/proxy/banana` (`urls:[imgUrl]` when given), held until the task ends; `options.onProgress` streams progress. */
export const bananaCreate = (
  prompt: string,
  model: string,
  imageSize: string,
  aspectRatio: string,
  imgUrl?: string,
  options?: CreateTaskOptions,
) => defaultClient().bananaCreate(prompt, model, imageSize, aspectRatio, imgUrl, options);
/** `POST /api/proxy/v1/draw/result`: the task's `{status, progress, result_url, result_urls, msg}` (`result_urls`: every result, the first being `result_url`). */
export const queryResult = (taskId: string) => defaultClient().queryResult(taskId);
/** `POST /api/proxy/jimeng/create`: answers at once with the pending task. */
export const jimengVideoCreate = (payload: JimengVideoCreateRequest) => defaultClient().jimengVideoCreate(payload);
/** `POST /api/proxy/jimeng/image`: JSON, or multipart with the file in `image`; answers at once with the pending task. */
export const jimengImageCreate = (payload: JimengImageCreateRequest, imageFile?: Blob) =>
  defaultClient().jimengImageCreate(payload, imageFile);
/** `POST /api/proxy/cat/chat`: `{status:"success", reply}`; each call is charged, refunded if upstream fails. */
export const catChat = (messages: ChatMessage[]) => defaultClient().catChat(messages);
/** Beyond api.ts: polls `queryResult` until the task is completed or failed, calling `onProgress` on each change. */
export const watchTask = (taskId: string, onProgress?: (progress: TaskProgress) => void, options?: WatchTaskOptions) =>
  defaultClient().watchTask(taskId, onProgress, options);
/** Beyond api.ts: `GET /api/user/tasks`, the user's own tasks, newest first; optional `{limit, before}` (a task id). */
export const listTasks = (page?: ListTasksRequest) => defaultClient().listTasks(page);

/** Beyond api.ts: the device id sent as `x-device-id`, and the email of the stored login (or null). */
export const deviceId = (): string => defaultClient().deviceId();
export const currentEmail = (): string | null => defaultClient().currentEmail();

export { configure } from "./default-client.js";
export {
  clientVersion,
  createOcean1Client,
  type CreateTaskOptions,
  type Ocean1Client,
  type Ocean1ClientOptions,
  type WatchTaskOptions,
} from "./client.js";
export { createMemoryStorage, storageKeys } from "./session.js";
export { failureCode, isFailed, isSuccess, Ocean1RequestError, type RequestErrorKind } from "./errors.js";
export type * from "./types.js";
export type {
  ApiResponse,
  BananaCreateRequest,
  ChatMessage,
  GetHistoryRequest,
  HistoryRecord,
  ListTasksRequest,
  JimengImageCreateRequest,
  JimengVideoCreateRequest,
  SoraCreateRequest,
  TaskStatus,
  UserData,
} from "@ocean1/contract";
export { errorMessages } from "@ocean1/contract";
