import { scrubSecrets } from "../../lib/secrets.js";
import type { ChatMessage } from "@ocean1/contract";
import { isTimeout, post, withDeadline } from "../../lib/http-post.js";
import { countUpstreamOutcome } from "../../metrics/metrics.js";
import type { ChatEndpoint } from "../endpoints.js";
import { classifyStatus } from "../http-status.js";

export type { ChatEndpoint } from "../endpoints.js";

/**
 * Why an upstream chat call gave no reply. `account` is a problem of our upstream account (a bad
 * key, no quota) that only the operator can fix; `moderated` is the provider's content filter or a
 * refusal, an answer about the conversation rather than a fault (the user should change the topic,
 * not retry); the rest are passing faults.
 */
export type ChatFailureKind = "account" | "rate_limited" | "http" | "timeout" | "network" | "malformed" | "empty" | "moderated";

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

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** `choices[0]` of a completion or of a stream chunk. */
function firstChoice(body: unknown): Record<string, unknown> | undefined {
  const choices = record(body)?.choices;
  return Array.isArray(choices) ? record(choices[0]) : undefined;
}

/**
 * The provider's moderation, which is no outage: `finish_reason: "content_filter"` (OpenAI, and Azure
 * OpenAI's output filter, with `content` null or cut short) or a `refusal` (OpenAI's structured refusal).
 */
function moderationOf(choice: Record<string, unknown> | undefined, part: Record<string, unknown> | undefined): string | undefined {
  if (choice?.finish_reason === "content_filter") return "finish_reason content_filter";
  if (typeof part?.refusal === "string" && part.refusal.trim() !== "") return "refusal";
  return undefined;
}

/** Azure OpenAI's input filter: HTTP 400 `{"error":{"code":"content_filter", "innererror":{"code":"ResponsibleAIPolicyViolation"}}}`. */
function isFilteredRequest(text: string): boolean {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return false;
  }
  const error = record(record(body)?.error);
  return error?.code === "content_filter" || record(error?.innererror)?.code === "ResponsibleAIPolicyViolation";
}

/** The reply of a `chat.completion` object, or why there is none. */
function replyOfCompletion(body: unknown, status: number): string {
  const choice = firstChoice(body);
  const message = record(choice?.message);
  const moderated = moderationOf(choice, message);
  if (moderated) throw new ChatUpstreamError("moderated", moderated, status);
  const reply = message && "content" in message ? textOf(message.content) : undefined;
  if (reply === undefined) throw new ChatUpstreamError("malformed", "no choices[0].message.content", status);
  return reply;
}

/**
 * The reply of a server-sent event stream of `chat.completion.chunk` objects (some compatible
 * servers stream even when asked `stream: false`): every `choices[0].delta.content` joined, up to
 * `data: [DONE]`. A stream cut off before it (no `[DONE]`, no `finish_reason`) is no whole reply.
 */
function replyOfStream(text: string, status: number, apiKey: string): string {
  let reply = "";
  let finished = false;
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith("data:")) continue; // blank lines between events, `event:`/`id:` fields, `:` comments
    const data = line.slice(5).trim();
    if (data === "[DONE]") {
      finished = true;
      break;
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      throw new ChatUpstreamError("malformed", `a stream event that is not JSON: ${scrub(data, apiKey).slice(0, 80)}`, status);
    }
    const choice = firstChoice(chunk);
    const delta = record(choice?.delta);
    const moderated = moderationOf(choice, delta);
    if (moderated) throw new ChatUpstreamError("moderated", `${moderated} in the stream`, status);
    reply += textOf(delta?.content) ?? "";
    if (typeof choice?.finish_reason === "string") finished = true;
  }
  if (!finished) throw new ChatUpstreamError("malformed", "a stream that ended before data: [DONE]", status);
  return reply;
}

function isEventStream(contentType: string, text: string): boolean {
  return /^text\/event-stream\b/i.test(contentType) || /^\s*data:/.test(text);
}

function kindOfStatus(status: number, text: string): ChatFailureKind {
  const byStatus = classifyStatus(status, text);
  if (byStatus === "refused" && isFilteredRequest(text)) return "moderated";
  return byStatus === "account" || byStatus === "rate_limited" ? byStatus : "http";
}

/** An upstream error text, short and without the key (some providers echo part of it back). */
function scrub(text: string, apiKey: string): string {
  return scrubSecrets(text, [apiKey]).replace(/\s+/g, " ").slice(0, 300);
}

/** A chat completion is text; anything larger than this (a stream included) is not one. */
const maxAnswerBytes = 4_000_000;

/** What `ocean1_upstream_calls_total` counts a failed call as: a moderation is no outage. */
function outcomeOf(error: ChatUpstreamError): string {
  if (error.kind === "moderated") return "moderated";
  if (error.kind === "timeout") return "timeout";
  if (error.kind === "network") return "error";
  return error.httpStatus && (error.httpStatus < 200 || error.httpStatus > 299) ? `http_${error.httpStatus}` : "ok";
}

/**
 * One non-streaming `POST {baseUrl}/chat/completions`. Resolves to the reply text, or rejects with a
 * ChatUpstreamError; `timeoutMs` bounds the whole exchange, body included. An event stream answered
 * anyway is read to its end.
 */
export async function completeChat(endpoint: ChatEndpoint, messages: ChatMessage[], timeoutMs: number): Promise<string> {
  try {
    const reply = await askChat(endpoint, messages, timeoutMs);
    countUpstreamOutcome("chat", "ok");
    return reply;
  } catch (error) {
    countUpstreamOutcome("chat", error instanceof ChatUpstreamError ? outcomeOf(error) : "error");
    throw error;
  }
}

async function askChat(endpoint: ChatEndpoint, messages: ChatMessage[], timeoutMs: number): Promise<string> {
  let text: string;
  let status: number;
  let contentType: string;
  try {
    ({ text, status, contentType } = await withDeadline(timeoutMs, async (signal) => {
      const res = await post(
        `${endpoint.baseUrl}/chat/completions`,
        { "Content-Type": "application/json", Authorization: `Bearer ${endpoint.apiKey}` },
        JSON.stringify({ model: endpoint.model, messages, stream: false }),
        signal,
      );
      return { status: res.status, contentType: res.contentType, text: await res.text(maxAnswerBytes) };
    }));
  } catch (error) {
    if (isTimeout(error)) throw new ChatUpstreamError("timeout", `no answer within ${timeoutMs} ms`);
    throw new ChatUpstreamError("network", error instanceof Error ? `${error.name}: ${error.message}` : "request failed");
  }
  if (classifyStatus(status) !== "ok") throw new ChatUpstreamError(kindOfStatus(status, text), scrub(text, endpoint.apiKey), status);
  let reply: string;
  if (isEventStream(contentType, text)) reply = replyOfStream(text, status, endpoint.apiKey);
  else {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ChatUpstreamError("malformed", `not JSON: ${scrub(text, endpoint.apiKey).slice(0, 80)}`, status);
    }
    reply = replyOfCompletion(body, status);
  }
  if (reply.trim() === "") throw new ChatUpstreamError("empty", "empty reply", status);
  return reply;
}
