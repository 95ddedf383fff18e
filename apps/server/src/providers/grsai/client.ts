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

/**
 * Submits a task with `webHook:"-1"` (the answer carries the id at once). A relay that streams
 * `data:` lines anyway is read until the first line names the id. A timeout here is final: the
 * upstream may or may not have the task, and without its id we cannot follow it.
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
      return { kind: "failed", message: upstreamMessages.timeout, detail: `submit timed out after ${timeouts.submitMs} ms` };
    return { kind: "transient", detail: `submit: ${(error as Error).message}` };
  }
}

/** Polls `/v1/draw/result {id}`; 429, 5xx, timeouts and unreadable answers are transient. */
export async function pollGrsai(endpoint: ProviderEndpoint, upstreamId: string, timeouts: GrsaiTimeouts): Promise<UpstreamOutcome> {
  try {
    return await withDeadline(timeouts.pollMs, async (signal) => {
      const res = await countUpstream("grsai", postUpstream(endpoint, grsaiPaths.result, JSON.stringify({ id: upstreamId }), signal));
      const byStatus = await outcomeOfRefusal(res);
      if (byStatus) return byStatus;
      return parseGrsaiAnswer(await res.text(upstreamAnswerBytes), "poll");
    });
  } catch (error) {
    return {
      kind: "transient",
      detail: isTimeout(error) ? `poll timed out after ${timeouts.pollMs} ms` : `poll: ${(error as Error).message}`,
    };
  }
}
