import { countUpstream } from "../../metrics/metrics.js";
import { z } from "zod";
import type { ProviderEndpoint } from "../endpoints.js";
import type { TaskJob } from "../provider.js";
import { isTimeout, withDeadline } from "../../lib/http-post.js";
import { outcomeOfRefusal, postUpstream, upstreamAnswerBytes, upstreamMessages, type UpstreamOutcome } from "../outcome.js";

export const jimengPaths = {
  images: "/v1/images/generations",
  compositions: "/v1/images/compositions",
  videos: "/v1/videos/generations",
} as const;

const extensions: Record<string, string> = { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp" };

/** The path and body of a call: JSON, or multipart with the image in `images` / `image_file_1`. */
export function jimengRequest(call: TaskJob): { path: string; body: string | FormData } {
  const video = call.kind === "jimeng_video";
  if (!call.image) return { path: video ? jimengPaths.videos : jimengPaths.images, body: JSON.stringify(call.payload) };
  const form = new FormData();
  for (const [key, value] of Object.entries(call.payload)) form.append(key, String(value));
  const file = new Blob([call.image.bytes], { type: call.image.contentType });
  form.append(video ? "image_file_1" : "images", file, `reference.${extensions[call.image.contentType] ?? "bin"}`);
  return { path: video ? jimengPaths.videos : jimengPaths.compositions, body: form };
}

const ZJimengAnswer = z.looseObject({
  code: z.number().optional(),
  message: z.string().nullish(),
  data: z.array(z.looseObject({ url: z.string().optional() })).nullish(),
});

/** HTTP 200 `{code:<negative>, message}` is a failure; `{created, data:[{url}]}` a result. */
export function parseJimengAnswer(text: string): UpstreamOutcome {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: "failed", message: upstreamMessages.unreadable, detail: `not JSON (${text.slice(0, 80)})` };
  }
  const answer = ZJimengAnswer.safeParse(json);
  if (!answer.success) return { kind: "failed", message: upstreamMessages.unreadable, detail: "unexpected answer shape" };
  const { code, message } = answer.data;
  const detail = `upstream code ${code}: ${message ?? ""}`;
  if (code === -2006) return { kind: "failed", message: upstreamMessages.contentFiltered, detail };
  if (code === -2009) return { kind: "failed", message: upstreamMessages.serviceProblem, detail, operatorProblem: true };
  if (code !== undefined && code !== 0) return { kind: "failed", message: upstreamMessages.error, detail, operatorProblem: true };
  const url = answer.data.data?.find((item) => item.url)?.url;
  return url ? { kind: "succeeded", url } : { kind: "failed", message: upstreamMessages.unreadable, detail: "no result url" };
}

/**
 * One synchronous Jimeng call (minutes). Nothing here is retried: the protocol has no task id, so a
 * second call would be a second generation. Every outcome is final.
 */
export async function callJimeng(endpoint: ProviderEndpoint, call: TaskJob, timeoutMs: number): Promise<UpstreamOutcome> {
  const request = jimengRequest(call);
  try {
    return await withDeadline(timeoutMs, async (signal): Promise<UpstreamOutcome> => {
      const res = await countUpstream("jimeng", postUpstream(endpoint, request.path, request.body, signal));
      const byStatus = await outcomeOfRefusal(res);
      if (byStatus) {
        return byStatus.kind === "transient" ? { kind: "failed", message: upstreamMessages.busy, detail: byStatus.detail } : byStatus;
      }
      return parseJimengAnswer(await res.text(upstreamAnswerBytes));
    });
  } catch (error) {
    if (isTimeout(error)) return { kind: "failed", message: upstreamMessages.tooLong, detail: `no answer after ${timeoutMs} ms` };
    return { kind: "failed", message: upstreamMessages.busy, detail: `call failed: ${(error as Error).message}` };
  }
}
