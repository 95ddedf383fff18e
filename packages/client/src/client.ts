import { operations, type ChatMessage, type GetHistoryRequest, type JimengImageCreateRequest, type JimengVideoCreateRequest, type ListTasksRequest } from "@ocean1/contract";
import { createRest } from "./rest.js";
import { browserStorage, createSession } from "./session.js";
import { sleep, withTimeout } from "./timeout.js";
import { answerOf, createTrpc } from "./trpc.js";
import type {
  CatChatResponse,
  CreateTaskResult,
  FetchFunction,
  HeartbeatResponse,
  HistoryResponse,
  JimengCreateResult,
  KeyValueStorage,
  ListTasksResult,
  LoginResponse,
  MessageResponse,
  QueryResultResult,
  RedeemCardResponse,
  TaskProgress,
} from "./types.js";

export interface Ocean1ClientOptions {
  /** The server's root, e.g. `http://localhost:8000` (no `/api`). */
  baseUrl: string;
  /** Where the device id and the logged-in email live; default `window.localStorage` (none on the server). */
  storage?: KeyValueStorage | null;
  /** Default the global `fetch`. */
  fetch?: FetchFunction;
}

export interface CreateTaskOptions {
  /** Live progress over the event stream while the call is held (`Accept: text/event-stream`). */
  onProgress?: (progress: TaskProgress) => void;
}

export interface WatchTaskOptions {
  /** Pause between two polls of `queryResult`; default 2 s. */
  intervalMs?: number;
  /** Stops watching: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** The version api.ts sends with every login. */
export const clientVersion = "1.0.0";

const isFinal = (status: string) => status === "completed" || status === "failed";

/**
 * A client with its own base URL, storage and fetch. The package's top-level functions are one
 * such client, configured from `NEXT_PUBLIC_API_BASE_URL` and the browser's localStorage.
 */
export function createOcean1Client(options: Ocean1ClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  const session = createSession(options.storage === undefined ? browserStorage : () => options.storage ?? null);
  const trpc = createTrpc(baseUrl, fetchFn, session);
  const rest = createRest(baseUrl, fetchFn, session);
  const timeoutOf = (name: keyof typeof operations) => operations[name].clientTimeoutMs;

  const signedIn = (email: string, answer: LoginResponse): LoginResponse => {
    // As api.ts: the email is kept only when the answer is a success with the user's data.
    if (answer.status === "success" && answer.data) session.rememberEmail(email);
    return answer;
  };

  const client = {
    async login(email: string, password: string): Promise<LoginResponse> {
      const input = { email, password, device_id: session.deviceId(), version: clientVersion };
      const answer = await withTimeout("login", timeoutOf("login"), (signal) => answerOf(trpc.login.mutate(input, { signal })));
      return signedIn(email, answer);
    },

    register(email: string, password: string, nickname: string, inviteCode: string, verifyCode: string): Promise<MessageResponse> {
      const input = { email, password, nickname, invite_code: inviteCode, verify_code: verifyCode };
      return withTimeout("register", timeoutOf("register"), (signal) => answerOf(trpc.register.mutate(input, { signal })));
    },

    sendCode(email: string): Promise<MessageResponse> {
      return withTimeout("sendCode", timeoutOf("sendCode"), (signal) => answerOf(trpc.sendCode.mutate({ email }, { signal })));
    },

    async loginVerify(email: string, code: string): Promise<LoginResponse> {
      const input = { email, code, device_id: session.deviceId() };
      const answer = await withTimeout("loginVerify", timeoutOf("loginVerify"), (signal) => answerOf(trpc.loginVerify.mutate(input, { signal })));
      return signedIn(email, answer);
    },

    resetPassword(email: string, newPassword: string, verifyCode: string): Promise<MessageResponse> {
      const input = { email, password: newPassword, verify_code: verifyCode };
      return withTimeout("resetPassword", timeoutOf("resetPassword"), (signal) => answerOf(trpc.resetPassword.mutate(input, { signal })));
    },

    heartbeat(email: string): Promise<HeartbeatResponse> {
      return withTimeout("heartbeat", timeoutOf("heartbeat"), (signal) => answerOf(trpc.heartbeat.mutate({ email }, { signal })));
    },

    /** Newest first; the balance is `data[0].balance_after`. Beyond api.ts: optional `limit` and `before` (a row id). */
    getHistory(page: GetHistoryRequest = {}): Promise<HistoryResponse> {
      return withTimeout("getHistory", timeoutOf("getHistory"), (signal) => answerOf(trpc.getHistory.query(page, { signal })));
    },

    /** Local only, as api.ts: forgets the email; the server session ends at the next login elsewhere or when idle. */
    logout(): void {
      session.forgetEmail();
    },

    redeemCard(email: string, cardKey: string): Promise<RedeemCardResponse> {
      const input = { email, card_key: cardKey };
      return withTimeout("redeemCard", timeoutOf("redeemCard"), (signal) => answerOf(trpc.redeemCard.mutate(input, { signal })));
    },

    /** Always `size: "small"`, as api.ts. Held until the task ends or the server's wait passes. */
    async soraCreate(prompt: string, model: string, aspectRatio: string, duration: number, imgUrl?: string, options: CreateTaskOptions = {}): Promise<CreateTaskResult> {
      const body = { model, prompt, aspectRatio, duration, size: "small", ...(imgUrl ? { url: imgUrl } : {}) };
      const answer = options.onProgress ? rest.postWithProgress("soraCreate", body, options.onProgress) : rest.postJson("soraCreate", body);
      return (await answer) as CreateTaskResult;
    },

    /** Sends `urls: [imgUrl]` when a reference image is given. */
    async bananaCreate(prompt: string, model: string, imageSize: string, aspectRatio: string, imgUrl?: string, options: CreateTaskOptions = {}): Promise<CreateTaskResult> {
      const body = { model, prompt, imageSize, aspectRatio, ...(imgUrl ? { urls: [imgUrl] } : {}) };
      const answer = options.onProgress ? rest.postWithProgress("bananaCreate", body, options.onProgress) : rest.postJson("bananaCreate", body);
      return (await answer) as CreateTaskResult;
    },

    queryResult(taskId: string): Promise<QueryResultResult> {
      return withTimeout("queryResult", timeoutOf("queryResult"), (signal) => answerOf(trpc.queryResult.mutate({ id: taskId }, { signal })));
    },

    /** Beyond api.ts: the user's own tasks, newest first (a task whose create answer was lost is still here); optional `{limit, before}`. */
    listTasks(page: ListTasksRequest = {}): Promise<ListTasksResult> {
      return withTimeout("listTasks", timeoutOf("listTasks"), (signal) => answerOf(trpc.listTasks.query(page, { signal })));
    },

    async jimengVideoCreate(payload: JimengVideoCreateRequest): Promise<JimengCreateResult> {
      return (await rest.postJson("jimengVideoCreate", payload)) as JimengCreateResult;
    },

    /** With a file: multipart, every payload key as a string field and the file in `image`. */
    async jimengImageCreate(payload: JimengImageCreateRequest, imageFile?: Blob): Promise<JimengCreateResult> {
      if (!imageFile) return (await rest.postJson("jimengImageCreate", payload)) as JimengCreateResult;
      const form = new FormData();
      for (const [key, value] of Object.entries(payload)) {
        if (value !== undefined && key !== "image") form.append(key, String(value));
      }
      form.append("image", imageFile);
      return (await rest.postForm("jimengImageCreate", form)) as JimengCreateResult;
    },

    /** Without a `system` message the server's cat persona is used. Charged per call, refunded if upstream fails. */
    catChat(messages: ChatMessage[]): Promise<CatChatResponse> {
      return withTimeout("catChat", timeoutOf("catChat"), (signal) => answerOf(trpc.catChat.mutate({ messages }, { signal })));
    },

    /**
     * Follows a task until it is completed or failed, calling `onProgress` on every change; answers
     * the final `queryResult` (or the failure that ended the watch, e.g. an unknown task id).
     */
    async watchTask(taskId: string, onProgress?: (progress: TaskProgress) => void, options: WatchTaskOptions = {}): Promise<QueryResultResult> {
      let last = "";
      for (;;) {
        const answer = await client.queryResult(taskId);
        if (answer.status !== "success") return answer;
        const seen = `${answer.data.status}/${answer.data.progress ?? ""}/${answer.data.result_url ?? ""}`;
        if (seen !== last) onProgress?.({ id: taskId, ...answer.data });
        last = seen;
        if (isFinal(answer.data.status)) return answer;
        await sleep(options.intervalMs ?? 2_000, options.signal);
      }
    },

    /** The device id this client sends (`"server"` where there is no storage). */
    deviceId: (): string => session.deviceId(),
    /** The email of the login kept in storage, or null. */
    currentEmail: (): string | null => session.email(),
  };
  return client;
}

export type Ocean1Client = ReturnType<typeof createOcean1Client>;
