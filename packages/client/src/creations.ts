import {
  isFinalStatus,
  operations,
  type ChatMessage,
  type JimengImageCreateRequest,
  type JimengVideoCreateRequest,
  type ListTasksRequest,
} from "@ocean1/contract";
import type { Rest } from "./rest.js";
import { sleep, withTimeout } from "./timeout.js";
import { answerOf, type Trpc } from "./trpc.js";
import type { CatChatResponse, CreateTaskResult, JimengCreateResult, ListTasksResult, QueryResultResult, TaskProgress } from "./types.js";

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

const timeoutOf = (name: keyof typeof operations) => operations[name].clientTimeoutMs;

/**
 * Generation and the cat chat. Sora and Banana use the REST paths, whose held answers keep
 * proxies awake (whitespace, or events); the multipart upload too. The rest goes over tRPC.
 */
export function creationCalls(trpc: Trpc, rest: Rest) {
  const calls = {
    /** Always `size: "small"`, as api.ts. Held until the task ends or the server's wait passes. */
    async soraCreate(
      prompt: string,
      model: string,
      aspectRatio: string,
      duration: number,
      imgUrl?: string,
      options: CreateTaskOptions = {},
    ): Promise<CreateTaskResult> {
      const body = { model, prompt, aspectRatio, duration, size: "small", ...(imgUrl ? { url: imgUrl } : {}) };
      const answer = options.onProgress ? rest.postWithProgress("soraCreate", body, options.onProgress) : rest.postJson("soraCreate", body);
      return (await answer) as CreateTaskResult;
    },

    /** Sends `urls: [imgUrl]` when a reference image is given. */
    async bananaCreate(
      prompt: string,
      model: string,
      imageSize: string,
      aspectRatio: string,
      imgUrl?: string,
      options: CreateTaskOptions = {},
    ): Promise<CreateTaskResult> {
      const body = { model, prompt, imageSize, aspectRatio, ...(imgUrl ? { urls: [imgUrl] } : {}) };
      const answer = options.onProgress
        ? rest.postWithProgress("bananaCreate", body, options.onProgress)
        : rest.postJson("bananaCreate", body);
      return (await answer) as CreateTaskResult;
    },

    queryResult(taskId: string): Promise<QueryResultResult> {
      return withTimeout("queryResult", timeoutOf("queryResult"), (signal) =>
        answerOf(trpc.queryResult.mutate({ id: taskId }, { signal })),
      );
    },

    /** Beyond api.ts: the user's own tasks, newest first (a task whose create answer was lost is still here); optional `{limit, before}`. */
    listTasks(page: ListTasksRequest = {}): Promise<ListTasksResult> {
      return withTimeout("listTasks", timeoutOf("listTasks"), (signal) => answerOf(trpc.listTasks.query(page, { signal })));
    },

    jimengVideoCreate(payload: JimengVideoCreateRequest): Promise<JimengCreateResult> {
      return withTimeout("jimengVideoCreate", timeoutOf("jimengVideoCreate"), (signal) =>
        answerOf(trpc.jimengVideoCreate.mutate(payload, { signal })),
      );
    },

    /** With a file: multipart, every payload key as a string field and the file in `image`. */
    async jimengImageCreate(payload: JimengImageCreateRequest, imageFile?: Blob): Promise<JimengCreateResult> {
      if (!imageFile)
        return withTimeout("jimengImageCreate", timeoutOf("jimengImageCreate"), (signal) =>
          answerOf(trpc.jimengImageCreate.mutate(payload, { signal })),
        );
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
    async watchTask(
      taskId: string,
      onProgress?: (progress: TaskProgress) => void,
      options: WatchTaskOptions = {},
    ): Promise<QueryResultResult> {
      let last = "";
      for (;;) {
        const answer = await calls.queryResult(taskId);
        if (answer.status !== "success") return answer;
        const seen = `${answer.data.status}/${answer.data.progress ?? ""}/${(answer.data.result_urls ?? [answer.data.result_url ?? ""]).join(" ")}`;
        if (seen !== last) onProgress?.({ id: taskId, ...answer.data });
        last = seen;
        if (isFinalStatus(answer.data.status)) return answer;
        await sleep(options.intervalMs ?? 2_000, options.signal);
      }
    },
  };
  return calls;
}
