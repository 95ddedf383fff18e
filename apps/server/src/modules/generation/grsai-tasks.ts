import type { BananaCreateRequest, SoraCreateRequest } from "@ocean1/contract";
import { setTimeout as sleep } from "node:timers/promises";
import type { AppDeps } from "../../deps.js";
import type { Task } from "../../db/schema.js";
import { AppError } from "../../errors/app-error.js";
import type { ProviderEndpoint } from "../../providers/endpoints.js";
import { chargeAndCreateTask } from "../../tasks/create-task.js";
import { completeTask, failTask } from "./finish.js";
import { grsaiPaths, submitGrsai } from "../../providers/grsai/client.js";
import { findTask, recordAccepted } from "../../tasks/queries.js";
import { priceRequest } from "./pricing.js";
import { firstPollInterval } from "../../tasks/tuning.js";
import { upstreamMessages, type UpstreamOutcome } from "../../providers/outcome.js";

function grsaiEndpoint(deps: AppDeps): ProviderEndpoint {
  const endpoint = deps.providers.grsai;
  if (!endpoint) throw new AppError("PROVIDER_NOT_CONFIGURED", "视频和图片生成服务暂未开通（未配置 GrsAI），本次未扣除积分");
  return endpoint;
}

export async function createSoraTask(deps: AppDeps, userId: number, input: SoraCreateRequest): Promise<Task> {
  const endpoint = grsaiEndpoint(deps);
  const priced = priceRequest(deps.config.catalog, "sora", input.model, {
    duration: input.duration,
    size: input.size,
    aspectRatio: input.aspectRatio,
  });
  const payload = { model: priced.upstreamModel, prompt: input.prompt, ...priced.options, ...(input.url ? { url: input.url } : {}) };
  const task = await chargeAndCreateTask(deps, { userId, kind: "sora", priced, request: payload });
  return submitGrsaiTask(deps, endpoint, task, grsaiPaths.sora, payload);
}

export async function createBananaTask(deps: AppDeps, userId: number, input: BananaCreateRequest): Promise<Task> {
  const endpoint = grsaiEndpoint(deps);
  const priced = priceRequest(deps.config.catalog, "banana", input.model, { imageSize: input.imageSize, aspectRatio: input.aspectRatio });
  const urls = input.urls?.length ? { urls: input.urls } : {};
  const payload = { model: priced.upstreamModel, prompt: input.prompt, ...priced.options, ...urls };
  const task = await chargeAndCreateTask(deps, { userId, kind: "banana", priced, request: payload });
  return submitGrsaiTask(deps, endpoint, task, grsaiPaths.banana, payload);
}

/**
 * Submits a created (and charged) task, outside any transaction. 429 / 5xx / connection failures
 * are retried a few times; whatever cannot be submitted ends failed and refunded.
 */
async function submitGrsaiTask(
  deps: AppDeps,
  endpoint: ProviderEndpoint,
  task: Task,
  path: string,
  payload: Record<string, unknown>,
): Promise<Task> {
  const { tuning, limiter } = deps.generation;
  const log = deps.logger.child({ task: task.public_id, kind: task.kind });
  const timeouts = { submitMs: tuning.submitTimeoutMs, pollMs: tuning.pollTimeoutMs };
  let outcome: UpstreamOutcome = { kind: "transient", detail: "not submitted" };
  let calls = 0;
  for (let attempt = 0; attempt <= tuning.submitRetryDelaysMs.length; attempt++) {
    if (attempt > 0) await sleep(tuning.submitRetryDelaysMs[attempt - 1] ?? 0);
    outcome = await limiter.run("grsai", () => submitGrsai(endpoint, path, payload, timeouts));
    calls++;
    if (outcome.kind !== "transient") break;
    log.warn({ detail: outcome.detail, attempt: attempt + 1 }, "upstream busy at submit");
  }
  switch (outcome.kind) {
    case "accepted":
      await recordAccepted(deps.db, task.id, outcome.upstreamId, firstPollInterval(tuning, task.kind), calls);
      break;
    case "failed":
      if (outcome.operatorProblem) log.error({ detail: outcome.detail }, "upstream account problem: check the GrsAI account and key");
      else log.info({ detail: outcome.detail }, "upstream refused the task");
      await failTask(deps.db, task.id, { message: outcome.message, detail: outcome.detail, upstreamCalls: calls });
      break;
    case "transient":
      log.error({ detail: outcome.detail }, "upstream unavailable at submit: task failed");
      await failTask(deps.db, task.id, { message: upstreamMessages.busy, detail: outcome.detail, upstreamCalls: calls });
      break;
    case "succeeded": // a streaming relay that was already done
      await completeTask(deps.db, task.id, outcome.url, calls);
      break;
    case "running":
      await failTask(deps.db, task.id, { message: upstreamMessages.unreadable, detail: "running without a task id", upstreamCalls: calls });
  }
  return (await findTask(deps.db, task.id)) ?? task;
}
