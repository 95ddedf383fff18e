import type { BananaCreateRequest, JimengCreatePayload, SoraCreateRequest } from "@ocean1/contract";
import type { AppDeps } from "../../deps.js";
import type { Task } from "../../db/schema.js";
import type { UploadedImage } from "../../providers/provider.js";
import { routeTask, startTask } from "../../tasks/start-task.js";
import { priceRequest } from "./pricing.js";

/**
 * The generation operations' service: each request is priced by the catalogue, mapped to the
 * upstream's parameters and started on the provider that serves its kind (`tasks/start-task.ts`).
 * Whether a provider is configured is asked first: nothing is priced or charged without one.
 */
export async function createSoraTask(deps: AppDeps, userId: number, input: SoraCreateRequest): Promise<Task> {
  const route = routeTask(deps, "sora");
  const priced = priceRequest(deps.config.catalog, "sora", input.model, {
    duration: input.duration,
    size: input.size,
    aspectRatio: input.aspectRatio,
  });
  const payload = { model: priced.upstreamModel, prompt: input.prompt, ...priced.options, ...(input.url ? { url: input.url } : {}) };
  return startTask(deps, route, { userId, kind: "sora", priced, payload });
}

export async function createBananaTask(deps: AppDeps, userId: number, input: BananaCreateRequest): Promise<Task> {
  const route = routeTask(deps, "banana");
  const priced = priceRequest(deps.config.catalog, "banana", input.model, { imageSize: input.imageSize, aspectRatio: input.aspectRatio });
  const urls = input.urls?.length ? { urls: input.urls } : {};
  const payload = { model: priced.upstreamModel, prompt: input.prompt, ...priced.options, ...urls };
  return startTask(deps, route, { userId, kind: "banana", priced, payload });
}

/**
 * A Jimeng task answers at once: the charge and the task (with its upload) are committed, the
 * provider's call of minutes runs in the background. Keys of the payload that the catalogue does
 * not know are ignored.
 */
export async function createJimengTask(
  deps: AppDeps,
  userId: number,
  kind: "jimeng_image" | "jimeng_video",
  input: JimengCreatePayload,
  upload?: UploadedImage,
): Promise<Task> {
  const route = routeTask(deps, kind);
  const priced = priceRequest(deps.config.catalog, kind, input.model, {
    ratio: input.ratio,
    resolution: input.resolution,
    duration: input.duration,
  });
  const payload: Record<string, string | number> = { model: priced.upstreamModel, prompt: input.prompt, ...priced.options };
  if (input.negative_prompt) payload.negative_prompt = input.negative_prompt;
  const recorded = upload ? { ...payload, image: `${upload.contentType}, ${upload.bytes.length} bytes` } : undefined;
  return startTask(deps, route, { userId, kind, priced, payload, recorded, upload });
}
