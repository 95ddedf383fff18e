import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { serverVersion } from "../version.js";

/**
 * POSTs to the upstream AI providers, over node:http with keep-alive agents instead of `fetch`.
 *
 * Why not fetch: a fetch `Response` lives on in undici's bookkeeping (its body registered for cleanup
 * when collected) long enough to survive young-generation collections, so each call promoted its
 * request, answer and stream objects into the old generation. Measured on this machine at 60 small
 * POSTs a second for 40 s (docs/performance.md, "Held generation requests"): fetch grew the old
 * generation by a few MB between scavenges and the process to 123 MB RSS; node:http promoted
 * nothing, never needed a mark-compact, and stayed at 58 MB.
 *
 * Differences from fetch that matter here: redirects are not followed (a provider API answers
 * directly; a 3xx is a wrong base URL, answered as such); no `Accept-Encoding` is sent, so answers
 * come uncompressed; an idle connection is closed after 4 s (undici's default), or sooner if the
 * server's `Keep-Alive: timeout=` says so.
 */

const userAgent = `ocean1-server/${serverVersion}`;

/** How long an idle keep-alive connection is kept (a request in progress is not limited by it). */
export const idleSocketMs = 4_000;
/** Each protocol's request function and keep-alive agent. */
const transports: Record<string, { request: typeof http.request; agent: http.Agent } | undefined> = {
  "http:": { request: http.request, agent: new http.Agent({ keepAlive: true, timeout: idleSocketMs }) },
  "https:": { request: https.request, agent: new https.Agent({ keepAlive: true, timeout: idleSocketMs }) },
};

/**
 * Runs `work` (a call and the reading of its answer) with a signal that aborts it, as a
 * `TimeoutError`, after `timeoutMs`. The timer ends with the work: `AbortSignal.timeout` would keep
 * each call's request, answer and closures alive for the whole limit (15 s for a poll), which at a
 * hundred polls a second promoted tens of megabytes of garbage a minute into the old generation.
 */
export async function withDeadline<T>(timeoutMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`timed out after ${timeoutMs} ms`, "TimeoutError")), timeoutMs);
  try {
    return await work(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

/** A deadline's `TimeoutError`, or an abort. */
export function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
}

/** A FormData as bytes with its multipart `Content-Type` (boundary included), through the platform's own encoder. */
async function encodeForm(form: FormData): Promise<{ bytes: Buffer; contentType: string }> {
  const encoded = new Response(form);
  return { bytes: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get("content-type") ?? "multipart/form-data" };
}

/** An answer whose headers have arrived; its body is read once, whole (`text`) or as it comes (`chunks`). */
export class PostAnswer {
  readonly status: number;
  /** The `Content-Type` header, or "". */
  readonly contentType: string;

  constructor(
    private readonly res: IncomingMessage,
    private readonly signal: AbortSignal,
  ) {
    this.status = res.statusCode ?? 0;
    this.contentType = res.headers["content-type"] ?? "";
  }

  /**
   * The whole body as text, at most `maxBytes`. Rejects if the connection breaks before the end, or
   * with the signal's reason once it has fired. Plain events: this runs for every upstream poll.
   */
  text(maxBytes: number): Promise<string> {
    const { res } = this;
    return new Promise<string>((resolve, reject) => {
      const decoder = new TextDecoder();
      let text = "";
      let size = 0;
      const fail = (error: unknown) => {
        res.destroy();
        reject(this.reasonOr(error));
      };
      res.on("data", (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > maxBytes) fail(new Error("upstream answer too large"));
        else text += decoder.decode(chunk, { stream: true });
      });
      res.once("end", () => resolve(text + decoder.decode()));
      res.once("error", fail);
      res.once("close", () => {
        if (!res.complete) fail(new Error("upstream closed the connection before the end of its answer"));
      });
    });
  }

  /** The body as it arrives (a stream of `data:` lines); leaving the loop early closes the connection. */
  async *chunks(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of this.res) yield chunk as Buffer;
    } catch (error) {
      throw this.reasonOr(error);
    }
  }

  /** Drops an answer we will not read: its connection is closed rather than drained. */
  discard(): void {
    this.res.destroy();
  }

  /** Once the deadline has fired, any error is reported as its reason (a timeout), not as the reset it caused. */
  private reasonOr(error: unknown): unknown {
    return this.signal.aborted ? this.signal.reason : error;
  }
}

/**
 * One POST of `body` to `url`. Resolves when the answer's headers have arrived; rejects on a network
 * error, or with `signal.reason` once `signal` aborts. An abort, until the answer has been read,
 * destroys the connection. (The signal is watched here rather than handed to `http.request`, which
 * would tie it to the request through a weak reference that young-generation collections cannot
 * clear, promoting every request.)
 */
export async function post(
  url: string,
  headers: Record<string, string>,
  body: string | FormData,
  signal: AbortSignal,
): Promise<PostAnswer> {
  const target = new URL(url);
  const transport = transports[target.protocol];
  if (!transport) throw new Error(`unsupported protocol ${target.protocol}`);
  let bytes: string | Buffer = body as string;
  // Some relays sit behind proxies that turn away a request without a User-Agent (fetch sent "node").
  const sent: Record<string, string | number> = { "User-Agent": userAgent, ...headers };
  if (typeof body !== "string") {
    const form = await encodeForm(body);
    bytes = form.bytes;
    sent["Content-Type"] = form.contentType;
  }
  sent["Content-Length"] = Buffer.byteLength(bytes);
  signal.throwIfAborted();
  return new Promise<PostAnswer>((resolve, reject) => {
    const req = transport.request(target, { method: "POST", headers: sent, agent: transport.agent }, (res) =>
      resolve(new PostAnswer(res, signal)),
    );
    const abort = () => req.destroy(signal.reason as Error);
    signal.addEventListener("abort", abort, { once: true });
    req.once("close", () => signal.removeEventListener("abort", abort));
    req.on("error", (error) => reject(signal.aborted ? signal.reason : error));
    req.end(bytes);
  });
}
