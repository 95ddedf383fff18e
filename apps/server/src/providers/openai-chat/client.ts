import type { ChatMessage } from "@ocean1/contract";
import { isTimeout, post, withDeadline } from "../../lib/http-post.js";
import { countUpstream } from "../../metrics/metrics.js";
import type { ChatEndpoint } from "../endpoints.js";
import { classifyStatus } from "../http-status.js";

export type { ChatEndpoint } from "../endpoints.js";

/**
 * Why an upstream chat call gave no reply. `account` is a problem of our upstream account (a bad
 * key, no quota) that only the operator can fix; the rest are passing faults.
 */
export type ChatFailureKind = "account" | "rate_limited" | "http" | "timeout" | "network" | "malformed" | "empty";

export class ChatUpstreamError extends Error {
  override name = "ChatUpstreamError";
  constructor(
    readonly kind: ChatFailureKind,
    /** What the operator reads in the log: never the key, never the user's messages. */
    readonly detail: string,
    readonly httpStatus?: number,
  ) {
    super(`chat upstream ${kind}${httpStatus ? ` (HTTP ${httpStatus})` : ""}: ${detail}`);
  }
}

/** OpenAI's `content` is a string, or (some compatible servers) a list of text parts. */
function textOf(content: unknown): string | undefined {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return undefined;
  const parts = content.map((part: unknown) =>
    part && typeof part === "object" && "text" in part && typeof part.text === "string" ? part.text : "",
  );
  return parts.join("");
}

function replyOf(body: unknown): string | undefined {
  if (!body || typeof body !== "object" || !("choices" in body) || !Array.isArray(body.choices)) return undefined;
  const message: unknown = (body.choices[0] as { message?: unknown } | undefined)?.message;
  return message && typeof message === "object" && "content" in message ? textOf(message.content) : undefined;
}

function kindOfStatus(status: number, text: string): ChatFailureKind {
  const byStatus = classifyStatus(status, text);
  return byStatus === "account" || byStatus === "rate_limited" ? byStatus : "http";
}

/** An upstream error text, short and without the key (some providers echo part of it back). */
function scrub(text: string, apiKey: string): string {
  return text.replaceAll(apiKey, "[redacted]").replace(/\s+/g, " ").slice(0, 300);
}

/** A chat completion is text; anything larger than this is not one. */
const maxAnswerBytes = 4_000_000;

/**
 * One non-streaming `POST {baseUrl}/v1/chat/completions`. Resolves to the reply text, or rejects
 * with a ChatUpstreamError; `timeoutMs` bounds the whole exchange, body included.
 */
export async function completeChat(endpoint: ChatEndpoint, messages: ChatMessage[], timeoutMs: number): Promise<string> {
  let text: string;
  let status: number;
  try {
    ({ text, status } = await withDeadline(timeoutMs, async (signal) => {
      const res = await countUpstream(
        "chat",
        post(
          `${endpoint.baseUrl}/chat/completions`,
          { "Content-Type": "application/json", Authorization: `Bearer ${endpoint.apiKey}` },
          JSON.stringify({ model: endpoint.model, messages, stream: false }),
          signal,
        ),
      );
      return { status: res.status, text: await res.text(maxAnswerBytes) };
    }));
  } catch (error) {
    if (isTimeout(error)) throw new ChatUpstreamError("timeout", `no answer within ${timeoutMs} ms`);
    throw new ChatUpstreamError("network", error instanceof Error ? `${error.name}: ${error.message}` : "request failed");
  }
  if (classifyStatus(status) !== "ok") throw new ChatUpstreamError(kindOfStatus(status, text), scrub(text, endpoint.apiKey), status);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ChatUpstreamError("malformed", `not JSON: ${scrub(text, endpoint.apiKey).slice(0, 80)}`, status);
  }
  const reply = replyOf(body);
  if (reply === undefined) throw new ChatUpstreamError("malformed", "no choices[0].message.content", status);
  if (reply.trim() === "") throw new ChatUpstreamError("empty", "empty reply", status);
  return reply;
}
