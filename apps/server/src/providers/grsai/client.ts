import { countUpstream } from "../../metrics/metrics.js";
import type { ProviderEndpoint } from "../endpoints.js";
import { isTimeout, withDeadline } from "../../lib/http-post.js";
import { outcomeOfRefusal, postUpstream, upstreamAnswerBytes, upstreamMessages, type UpstreamOutcome } from "../outcome.js";
import { parseGrsaiAnswer, readGrsaiStream } from "./parse.js";

export const grsaiPaths = { sora: "/v1/video/sora-video", banana: "/v1/draw/nano-banana", result: "/v1/draw/result" } as const;

export interface GrsaiTimeouts {
  submitMs: number;
  pollMs: number;
}

/** Errors of a connection that was never made: the relay cannot have seen the request. */
const notConnectedCodes: ReadonlySet<string> = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

function neverConnected(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && notConnectedCodes.has(code);
}

/** After these the relay has created nothing: 429 (rate limited) and 503 (not serving). */
const retriedStatuses: ReadonlySet<number> = new Set([429, 503]);

/**
 * Submits a task with `webHook:"-1"` (the answer carries the id at once). A relay that streams
 * `data:` lines anyway is read until the first line names the id.
 *
 * A submit is retried (`transient`) only when it provably created nothing: the connection was never
 * made, or the relay answered 429 or 503. After any other 5xx, a reset or a timeout once the request
 * was sent, the relay may have created the task, and a second submit would be a second billed
 * generation nobody receives: the task fails (`maybeCreated`, logged for the operator).
 */
export async function submitGrsai(
  endpoint: ProviderEndpoint,
  path: string,
  payload: Record<string, unknown>,
  timeouts: GrsaiTimeouts,
): Promise<UpstreamOutcome> {
  try {
    return await withDeadline(timeouts.submitMs, async (signal): Promise<UpstreamOutcome> => {
      const res = await countUpstream(
        "grsai",
        postUpstream(endpoint, path, JSON.stringify({ ...payload, webHook: "-1", shutProgress: false }), signal),
      );
      const byStatus = await outcomeOfRefusal(res);
      if (byStatus?.kind === "transient" && !retriedStatuses.has(res.status)) {
        return { kind: "failed", message: upstreamMessages.busy, detail: `submit answered HTTP ${res.status}`, maybeCreated: true };
      }
      if (byStatus) return byStatus;
      const outcome = res.contentType.includes("text/event-stream")
        ? await readGrsaiStream(res.chunks())
        : parseGrsaiAnswer(await res.text(upstreamAnswerBytes), "submit");
      return outcome.kind === "transient" && outcome.unreadable
        ? { kind: "failed", message: upstreamMessages.unreadable, detail: outcome.detail }
        : outcome;
    });
  } catch (error) {
    if (isTimeout(error))
      return {
        kind: "failed",
        message: upstreamMessages.timeout,
        detail: `submit timed out after ${timeouts.submitMs} ms`,
        maybeCreated: true,
      };
    const detail = `submit: ${(error as Error).message}`;
    if (neverConnected(error)) return { kind: "transient", detail };
    return { kind: "failed", message: upstreamMessages.busy, detail, maybeCreated: true };
  }
}

/**
 * Polls `/v1/draw/result {id}`. Anything but an answer about the task is transient: a poll that
 * failed (429, 5xx, a refused key, a timeout, an unreadable answer) says nothing about the task,
 * which the reconciler fails only once polls have failed for `pollFailureWindowMs`.
 */
export async function pollGrsai(endpoint: ProviderEndpoint, upstreamId: string, timeouts: GrsaiTimeouts): Promise<UpstreamOutcome> {
  try {
    return await withDeadline(timeouts.pollMs, async (signal): Promise<UpstreamOutcome> => {
      const res = await countUpstream("grsai", postUpstream(endpoint, grsaiPaths.result, JSON.stringify({ id: upstreamId }), signal));
      const byStatus = await outcomeOfRefusal(res);
      if (byStatus) return byStatus.kind === "failed" ? { kind: "transient", detail: `poll: ${byStatus.detail}` } : byStatus;
      return parseGrsaiAnswer(await res.text(upstreamAnswerBytes), "poll");
    });
  } catch (error) {
    return {
      kind: "transient",
      detail: isTimeout(error) ? `poll timed out after ${timeouts.pollMs} ms` : `poll: ${(error as Error).message}`,
    };
  }
}
