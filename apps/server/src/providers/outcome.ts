import type { ErrorCode } from "@ocean1/contract";
import { post, type PostAnswer } from "../lib/http-post.js";
import { scrubSecrets } from "../lib/secrets.js";
import type { ProviderEndpoint } from "./endpoints.js";
import { classifyStatus } from "./http-status.js";

/** A task's results: at least one. */
export type ResultUrls = readonly [string, ...string[]];

const isNonEmpty = (urls: readonly string[]): urls is ResultUrls => urls.length > 0;

/** The longest result URL we pass on; real CDN URLs, signed ones included, are far shorter. */
export const maxResultUrlLength = 2048;

/**
 * A URL from an upstream is shown to browsers as a link and an `<img>`/`<video>` source: only an
 * absolute `https:`/`http:` URL of bounded length, without control characters or spaces, is one.
 */
export function isSafeResultUrl(url: string): boolean {
  if (url.length > maxResultUrlLength || /[\u0000-\u0020\u007f]/.test(url)) return false;
  return /^https?:\/\/[^/?#]+/i.test(url) && URL.canParse(url);
}

/** A finished upstream task's results: succeeded when there is at least one and each is safe to pass on. */
export function succeededWith(urls: readonly string[]): UpstreamOutcome {
  if (!isNonEmpty(urls)) return { kind: "failed", message: upstreamMessages.unreadable, detail: "succeeded without a result url" };
  const refused = urls.find((url) => !isSafeResultUrl(url));
  if (refused === undefined) return { kind: "succeeded", urls };
  const shown = JSON.stringify(refused.slice(0, 80)).slice(1, -1);
  return {
    kind: "failed",
    message: upstreamMessages.unreadable,
    detail: `result url refused: "${shown}" (${refused.length} characters)`,
    untrusted: true,
  };
}

/** An upstream task id we can store and send back: bounded, printable. */
export function isSafeUpstreamId(id: string): boolean {
  return id.length > 0 && id.length <= 200 && !/[\u0000-\u001f\u007f]/.test(id);
}

/** What an upstream call came to, in the terms the task machinery acts on. */
export type UpstreamOutcome =
  | { kind: "accepted"; upstreamId: string }
  | { kind: "running"; progress: number }
  /** Every result the upstream made (Jimeng 4.x answers four images): the first is the task's `result_url`. */
  | { kind: "succeeded"; urls: ResultUrls }
  /** Final: the task fails and is refunded. `message` is for the user, `detail` for the operator. */
  | {
      kind: "failed";
      message: string;
      detail: string;
      operatorProblem?: boolean;
      /** The upstream did not know the task (a poll): pending for `lostGraceMs` after the submit, then lost. */
      upstreamLost?: boolean;
      /** A submit that may have reached the upstream: not resubmitted, and told to the operator. */
      maybeCreated?: boolean;
      /** The upstream answered something we refuse to pass on (a `javascript:` result URL): told to the operator. */
      untrusted?: boolean;
    }
  /** Try again later (429, 5xx, a timeout while polling, an unreadable answer): the task is not failed for it. */
  | { kind: "transient"; detail: string; unreadable?: boolean };

/**
 * The outcome with secrets taken out of its detail (`scrubSecrets`): a provider may echo the key it
 * refused ("invalid api key: Bearer sk-…"), and the detail is logged and stored (`tasks.failure_detail`).
 */
export function withoutKey(outcome: UpstreamOutcome, apiKey: string): UpstreamOutcome {
  if (outcome.kind !== "failed" && outcome.kind !== "transient") return outcome;
  const detail = scrubSecrets(outcome.detail, [apiKey]);
  return detail === outcome.detail ? outcome : { ...outcome, detail };
}

/** Chinese messages for the user: an upstream account problem is told as a service problem. */
export const upstreamMessages = {
  serviceProblem: "生成服务暂时不可用，积分已退回，请稍后再试",
  busy: "生成服务繁忙，积分已退回，请稍后再试",
  timeout: "生成服务响应超时，积分已退回，请稍后再试",
  unreadable: "生成服务返回了无法识别的结果，积分已退回，请稍后再试",
  outputModeration: "生成的内容未通过安全审核，积分已退回，请调整提示词后重试",
  inputModeration: "提示词或参考图未通过安全审核，积分已退回，请修改后重试",
  contentFiltered: "提示词、参考图或生成内容未通过安全审核，积分已退回，请修改后重试",
  referenceRefused: "参考图未通过安全审核，积分已退回，请更换参考图后重试",
  error: "生成失败，积分已退回，请稍后重试",
  tooLong: "生成超时，积分已退回，请稍后重试",
  interrupted: "任务提交中断（服务重启），积分已退回，请重新提交",
  restarted: "服务重启，生成中的任务已中断，积分已退回，请重新提交",
  lost: "生成服务找不到该任务（可能已过期或丢失），积分已退回，请重新提交",
} as const;

const moderationMessages: ReadonlySet<string> = new Set([
  upstreamMessages.outputModeration,
  upstreamMessages.inputModeration,
  upstreamMessages.contentFiltered,
  upstreamMessages.referenceRefused,
]);

/**
 * The stable code of a failed task (DESIGN.md §2). A task's failure message is always one of
 * `upstreamMessages`, so the code follows from it: moderation, or any other upstream failure.
 */
export function failureCodeOf(message: string | null): Extract<ErrorCode, "CONTENT_MODERATED" | "UPSTREAM_FAILED"> {
  return message !== null && moderationMessages.has(message) ? "CONTENT_MODERATED" : "UPSTREAM_FAILED";
}

/** The most of an answer we read: a GrsAI or Jimeng answer is a small JSON. */
export const upstreamAnswerBytes = 1_000_000;

/**
 * One POST to a provider with its Bearer key (`lib/http-post.ts`): a string body is JSON, a FormData
 * is sent as multipart with its own type. Network errors and an abort (`withDeadline`) throw.
 */
export function postUpstream(endpoint: ProviderEndpoint, path: string, body: string | FormData, signal: AbortSignal): Promise<PostAnswer> {
  const headers: Record<string, string> = { Authorization: `Bearer ${endpoint.apiKey}`, Accept: "application/json, text/event-stream" };
  if (typeof body === "string") headers["Content-Type"] = "application/json";
  return post(`${endpoint.baseUrl}${path}`, headers, body, signal);
}

/**
 * The outcome of an HTTP status that is not 2xx (`classifyStatus`, which reads a 429's `body` for an
 * exhausted quota), or undefined for a 2xx whose body is the answer.
 */
export function outcomeOfStatus(status: number, body = ""): UpstreamOutcome | undefined {
  switch (classifyStatus(status, body)) {
    case "ok":
      return undefined;
    case "account":
      return {
        kind: "failed",
        message: upstreamMessages.serviceProblem,
        detail: `upstream refused our key or account (HTTP ${status})`,
        operatorProblem: true,
      };
    case "rate_limited":
    case "unavailable":
      return { kind: "transient", detail: `HTTP ${status}` };
    case "refused":
      return { kind: "failed", message: upstreamMessages.serviceProblem, detail: `HTTP ${status}`, operatorProblem: true };
  }
}

/** A 429's body is read this far for the word "quota"; any other refusal's body is not read. */
const refusalBodyBytes = 4_096;

/**
 * The outcome of an answer that is not 2xx, its body read only for a 429 (a rate limit or an
 * exhausted quota) and discarded otherwise; undefined for a 2xx, whose body is left to the caller.
 */
export async function outcomeOfRefusal(res: PostAnswer): Promise<UpstreamOutcome | undefined> {
  if (classifyStatus(res.status) === "ok") return undefined;
  if (res.status !== 429) {
    res.discard();
    return outcomeOfStatus(res.status);
  }
  const body = await res.text(refusalBodyBytes).catch(() => "");
  return outcomeOfStatus(res.status, body);
}
