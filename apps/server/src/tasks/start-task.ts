import type { TaskKind } from "@ocean1/contract";
import { sql } from "kysely";
import { setTimeout as sleep } from "node:timers/promises";
import type { AppDeps } from "../deps.js";
import type { Task } from "../db/schema.js";
import { AppError } from "../errors/app-error.js";
import type { Logger } from "../logger.js";
import { upstreamMessages, withoutKey, type UpstreamOutcome } from "../providers/outcome.js";
import type { TaskRoute } from "../providers/registry.js";
import type { AsyncTaskProvider, SyncTaskProvider, TaskJob, UploadedImage } from "../providers/provider.js";
import type { PricedRequest } from "../modules/generation/pricing.js";
import { chargeAndCreateTask } from "./create-task.js";
import { completeTask, failTask } from "./finish.js";
import { findTask, recordAccepted } from "./queries.js";
import { firstPollInterval, providerTimeouts } from "./tuning.js";

/**
 * Where a task of this kind goes: the first configured provider that makes it. None configured is
 * `PROVIDER_NOT_CONFIGURED`, asked before anything is priced or charged.
 */
export function routeTask(deps: AppDeps, kind: TaskKind): TaskRoute {
  const { registry } = deps.generation;
  const route = registry.route(kind, deps.providers);
  if (route) return route;
  throw new AppError("PROVIDER_NOT_CONFIGURED", registry.serving(kind)[0]?.notConfiguredMessage);
}

export interface TaskStart {
  userId: number;
  kind: TaskKind;
  priced: PricedRequest;
  /** The upstream parameters (`TaskJob.payload`). */
  payload: Record<string, unknown>;
  /** What the task row keeps of the request for the operator, when not the payload itself (never bytes, never a key). */
  recorded?: Record<string, unknown>;
  upload?: UploadedImage | undefined;
}

/**
 * Charges and creates a task, then hands it to its provider. An asynchronous provider is sent the
 * task now and the answer is its state after the submit (accepted, or already failed and refunded);
 * a synchronous provider's call runs in the background on this instance and the answer is the new task.
 */
export async function startTask(deps: AppDeps, route: TaskRoute, start: TaskStart): Promise<Task> {
  const task = await chargeAndCreateTask(deps, {
    userId: start.userId,
    kind: start.kind,
    priced: start.priced,
    request: start.recorded ?? start.payload,
    upload: start.upload,
    route,
  });
  const job: TaskJob = { kind: start.kind, payload: start.payload };
  const { provider } = route;
  if (provider.mode === "async") return submitTask(deps, route, provider, task, job);
  deps.generation.leases.add(task.id);
  // The upload is read back from the database when the call starts: queued tasks hold no bytes in memory.
  void runSyncTask(deps, route, provider, task, job, start.upload !== undefined);
  return task;
}

function logFailure(log: Logger, provider: { accountHint: string }, outcome: Extract<UpstreamOutcome, { kind: "failed" }>): void {
  if (outcome.operatorProblem) log.error({ detail: outcome.detail }, `upstream account problem: ${provider.accountHint}`);
  else if (outcome.untrusted) log.error({ detail: outcome.detail }, "upstream answered a result we refuse to pass on: failed and refunded");
  else if (outcome.maybeCreated)
    log.warn(
      { detail: outcome.detail },
      "submit may have reached the upstream: failed and refunded, not resubmitted (the upstream may bill it)",
    );
  else log.info({ detail: outcome.detail }, "upstream refused the task");
}

/**
 * Submits a created (and charged) task, outside any transaction. A `transient` answer (the provider
 * says the submit provably created nothing: 429, 503, no connection) is retried a few times; whatever
 * cannot be submitted ends failed and refunded.
 */
async function submitTask(deps: AppDeps, route: TaskRoute, provider: AsyncTaskProvider, task: Task, job: TaskJob): Promise<Task> {
  const { tuning, limiter } = deps.generation;
  const log = deps.logger.child({ task: task.public_id, kind: task.kind, provider: provider.name });
  const timeouts = providerTimeouts(tuning, task.kind);
  let outcome: UpstreamOutcome = { kind: "transient", detail: "not submitted" };
  let calls = 0;
  for (let attempt = 0; attempt <= tuning.submitRetryDelaysMs.length; attempt++) {
    if (attempt > 0) await sleep(tuning.submitRetryDelaysMs[attempt - 1] ?? 0);
    outcome = withoutKey(
      await limiter.run(route.endpointName, () => provider.submit(route.endpoint, job, timeouts)),
      route.endpoint.apiKey,
    );
    calls++;
    if (outcome.kind !== "transient") break;
    log.warn({ detail: outcome.detail, attempt: attempt + 1 }, "upstream busy at submit");
  }
  switch (outcome.kind) {
    case "accepted":
      await recordAccepted(deps.db, task.id, outcome.upstreamId, firstPollInterval(tuning, task.kind), calls);
      break;
    case "failed":
      logFailure(log, provider, outcome);
      await failTask(deps.db, task.id, { message: outcome.message, detail: outcome.detail, upstreamCalls: calls });
      break;
    case "transient":
      log.error({ detail: outcome.detail }, "upstream unavailable at submit: task failed");
      await failTask(deps.db, task.id, { message: upstreamMessages.busy, detail: outcome.detail, upstreamCalls: calls });
      break;
    case "succeeded": // a streaming relay that was already done
      await completeTask(deps.db, task.id, outcome.urls, calls);
      break;
    case "running":
      await failTask(deps.db, task.id, { message: upstreamMessages.unreadable, detail: "running without a task id", upstreamCalls: calls });
  }
  return (await findTask(deps.db, task.id)) ?? task;
}

async function loadUpload(deps: AppDeps, taskId: number): Promise<UploadedImage | undefined> {
  const row = await deps.db.selectFrom("task_uploads").select(["bytes", "content_type"]).where("task_id", "=", taskId).executeTakeFirst();
  return row ? { bytes: row.bytes, contentType: row.content_type } : undefined;
}

/** The background half of a synchronous provider: one upstream call, then the task's end (and its upload's removal). */
async function runSyncTask(
  deps: AppDeps,
  route: TaskRoute,
  provider: SyncTaskProvider,
  task: Task,
  job: TaskJob,
  withUpload: boolean,
): Promise<void> {
  const { tuning, limiter, leases, instanceId } = deps.generation;
  const log = deps.logger.child({ task: task.public_id, kind: task.kind, provider: provider.name });
  try {
    const outcome = await limiter.run(route.endpointName, async () => {
      const started =
        await sql`update tasks set status = 'processing', updated_at = now() where id = ${task.id} and status = 'pending' and lease_owner = ${instanceId}`.execute(
          deps.db,
        );
      // Already ended elsewhere (its lease lapsed while it waited): nothing to call.
      if (Number(started.numAffectedRows ?? 0) === 0) return undefined;
      const image = withUpload ? await loadUpload(deps, task.id) : undefined;
      if (withUpload && !image) return undefined;
      return withoutKey(await provider.run(route.endpoint, { ...job, image }, providerTimeouts(tuning, task.kind)), route.endpoint.apiKey);
    });
    if (outcome === undefined) return;
    if (outcome.kind === "succeeded") {
      await completeTask(deps.db, task.id, outcome.urls);
    } else if (outcome.kind === "failed") {
      logFailure(log, provider, outcome);
      await failTask(deps.db, task.id, { message: outcome.message, detail: outcome.detail, upstreamCalls: 1 });
    } else {
      await failTask(deps.db, task.id, {
        message: upstreamMessages.unreadable,
        detail: `unexpected outcome ${outcome.kind}`,
        upstreamCalls: 1,
      });
    }
  } catch (error) {
    log.error({ err: error }, "synchronous task failed unexpectedly");
    await failTask(deps.db, task.id, { message: upstreamMessages.error, detail: (error as Error).message }).catch((failure: unknown) =>
      log.error({ err: failure }, "could not fail the task: its lease lapses and the reconciler refunds it"),
    );
  } finally {
    leases.remove(task.id);
  }
}
