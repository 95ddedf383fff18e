import { countUpstream } from "../../metrics/metrics.js";
import { z } from "zod";
import type { ProviderEndpoint } from "../endpoints.js";
import type { TaskJob } from "../provider.js";
import { isTimeout, withDeadline } from "../../lib/http-post.js";
import { outcomeOfRefusal, succeededWith, postUpstream, upstreamAnswerBytes, upstreamMessages, type UpstreamOutcome } from "../outcome.js";

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

/**
 * The codes of jimeng-api (`src/api/consts/exceptions.ts`, v1.6.3 to v1.9.6) that are a problem of our
 * Jimeng account, which only the operator can fix: they raise the operator alarm. Every other code is
 * this task's failure (-2007 image failed, -2008 video failed, -1000 a bad parameter, …).
 */
const accountCodes: ReadonlySet<number> = new Set([
  // API_REQUEST_PARAMS_INVALID: what jimeng-api's Request.validate answers for a missing session
  // (authorization) and ByteDance's ret 4002. Our own options are checked against jimeng-api's before we
  // send (options.ts), so this is our configuration or account, not the user's request.
  -2000,
  -2002, // API_TOKEN_EXPIRES: the session key expired (ByteDance ret 1015)
  -2009, // API_IMAGE_GENERATION_INSUFFICIENT_POINTS: the account has no points (ret 5000)
]);

/**
 * A reference image that ByteDance's content check refused: jimeng-api answers -2001 (the check itself,
 * `图片内容检测未通过，该图片可能包含违规内容`) or -2007 (the upload failing with that text).
 */
const referenceRefused = (code: number, message: string) => (code === -2001 || code === -2007) && message.includes("违规");

/** HTTP 200 `{code:<negative>, message}` is a failure; `{created, data:[{url}, …]}` a result (every url kept). */
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
  if (code !== undefined && code !== 0) {
    const detail = `upstream code ${code}: ${(message ?? "").slice(0, 200)}`;
    if (code === -2006) return { kind: "failed", message: upstreamMessages.contentFiltered, detail };
    if (referenceRefused(code, message ?? "")) return { kind: "failed", message: upstreamMessages.referenceRefused, detail };
    if (accountCodes.has(code)) return { kind: "failed", message: upstreamMessages.serviceProblem, detail, operatorProblem: true };
    return { kind: "failed", message: upstreamMessages.error, detail };
  }
  const urls = (answer.data.data ?? []).flatMap((item) => (item.url ? [item.url] : []));
  return succeededWith(urls);
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
