import { operations, type OperationName } from "@ocean1/contract";
import { httpError, networkError, Ocean1RequestError } from "./errors.js";
import { readEventStream } from "./events.js";
import type { Session } from "./session.js";
import { withTimeout } from "./timeout.js";
import { authHeaders } from "./trpc.js";
import type { FetchFunction, TaskProgress } from "./types.js";

/**
 * The documented REST paths, for what tRPC cannot carry: the long-held Sora/Banana answers (the
 * server writes whitespace every ~15 s so that proxies keep the connection, then one JSON
 * document; or events when asked) and the multipart upload.
 */
export interface Rest {
  /** POST JSON, read one JSON document (leading whitespace is fine for JSON.parse). */
  postJson(name: OperationName, body: unknown): Promise<unknown>;
  /** POST JSON asking for `text/event-stream`: progress events, then the `done` document. */
  postWithProgress(name: OperationName, body: unknown, onProgress: (progress: TaskProgress) => void): Promise<unknown>;
  /** POST multipart: only the two auth headers, so that fetch sets the boundary; no timeout, as api.ts. */
  postForm(name: OperationName, form: FormData): Promise<unknown>;
}

export function createRest(baseUrl: string, fetchFn: FetchFunction, session: Session): Rest {
  async function send(name: OperationName, init: RequestInit, timeoutMs: number | null, read: (response: Response) => Promise<unknown>) {
    const op = operations[name];
    return withTimeout(name, timeoutMs, async (signal) => {
      let response: Response;
      try {
        response = await fetchFn(`${baseUrl}${op.path}`, { ...init, method: op.method, signal: signal ?? null });
      } catch (error) {
        throw networkError(error);
      }
      if (!response.ok) throw httpError(response.status);
      try {
        return await read(response);
      } catch (error) {
        throw error instanceof Ocean1RequestError ? error : networkError(error);
      }
    });
  }
  const readJson = async (response: Response): Promise<unknown> => JSON.parse(await response.text());

  return {
    postJson: (name, body) =>
      send(name, { headers: authHeaders(session, true), body: JSON.stringify(body) }, operations[name].clientTimeoutMs, readJson),

    postWithProgress: (name, body, onProgress) =>
      send(
        name,
        { headers: { ...authHeaders(session, true), accept: "text/event-stream" }, body: JSON.stringify(body) },
        operations[name].clientTimeoutMs,
        async (response) => {
          // A server (or a proxy) that answers JSON instead of events still gives the one result.
          if (!response.headers.get("content-type")?.includes("text/event-stream") || !response.body) return readJson(response);
          let done: unknown;
          await readEventStream(response.body, ({ event, data }) => {
            if (event === "progress") onProgress(JSON.parse(data) as TaskProgress);
            else if (event === "done") done = JSON.parse(data);
          });
          if (done === undefined) throw networkError(new Error("event stream ended before its done event"));
          return done;
        },
      ),

    postForm: (name, form) => send(name, { headers: authHeaders(session, false), body: form }, null, readJson),
  };
}
