/**
 * `@ocean1/client`: the typed client the frontend imports in place of its hand-written `api.ts`.
 * The top-level functions have api.ts's names, parameters and results; handled failures are
 * returned as `{status:"failed", msg, code}`, and only a timeout or a network error throws.
 */
import type { ChatMessage, GetHistoryRequest, JimengImageCreateRequest, JimengVideoCreateRequest } from "@ocean1/contract";
import type { CreateTaskOptions, WatchTaskOptions } from "./client.js";
import { defaultClient } from "./default-client.js";
import type { TaskProgress } from "./types.js";

export const login = (email: string, password: string) => defaultClient().login(email, password);
export const register = (email: string, password: string, nickname: string, inviteCode: string, verifyCode: string) =>
  defaultClient().register(email, password, nickname, inviteCode, verifyCode);
export const sendCode = (email: string) => defaultClient().sendCode(email);
export const loginVerify = (email: string, code: string) => defaultClient().loginVerify(email, code);
export const resetPassword = (email: string, newPassword: string, verifyCode: string) => defaultClient().resetPassword(email, newPassword, verifyCode);
export const heartbeat = (email: string) => defaultClient().heartbeat(email);
export const getHistory = (page?: GetHistoryRequest) => defaultClient().getHistory(page);
export const logout = (): void => defaultClient().logout();
export const redeemCard = (email: string, cardKey: string) => defaultClient().redeemCard(email, cardKey);
export const soraCreate = (prompt: string, model: string, aspectRatio: string, duration: number, imgUrl?: string, options?: CreateTaskOptions) =>
  defaultClient().soraCreate(prompt, model, aspectRatio, duration, imgUrl, options);
export const bananaCreate = (prompt: string, model: string, imageSize: string, aspectRatio: string, imgUrl?: string, options?: CreateTaskOptions) =>
  defaultClient().bananaCreate(prompt, model, imageSize, aspectRatio, imgUrl, options);
export const queryResult = (taskId: string) => defaultClient().queryResult(taskId);
export const jimengVideoCreate = (payload: JimengVideoCreateRequest) => defaultClient().jimengVideoCreate(payload);
export const jimengImageCreate = (payload: JimengImageCreateRequest, imageFile?: Blob) => defaultClient().jimengImageCreate(payload, imageFile);
export const catChat = (messages: ChatMessage[]) => defaultClient().catChat(messages);
export const watchTask = (taskId: string, onProgress?: (progress: TaskProgress) => void, options?: WatchTaskOptions) =>
  defaultClient().watchTask(taskId, onProgress, options);
/** Beyond api.ts: the device id sent as `x-device-id`, and the email of the stored login (or null). */
export const deviceId = (): string => defaultClient().deviceId();
export const currentEmail = (): string | null => defaultClient().currentEmail();

export { configure } from "./default-client.js";
export { clientVersion, createOcean1Client, type CreateTaskOptions, type Ocean1Client, type Ocean1ClientOptions, type WatchTaskOptions } from "./client.js";
export { createMemoryStorage, storageKeys } from "./session.js";
export { failureCode, isFailed, isSuccess, Ocean1RequestError, type RequestErrorKind } from "./errors.js";
export type * from "./types.js";
export type {
  ApiResponse,
  BananaCreateRequest,
  ChatMessage,
  GetHistoryRequest,
  HistoryRecord,
  JimengImageCreateRequest,
  JimengVideoCreateRequest,
  SoraCreateRequest,
  TaskStatus,
  UserData,
} from "@ocean1/contract";
export { errorMessages } from "@ocean1/contract";
