import type { AppDeps } from "../deps.js";
import { completeTask, failTask } from "./finish.js";
import { recordPolls, type PollRecord } from "./poll-records.js";
import { claimDueTasks, type ClaimedTask } from "./queries.js";
import { backoff, pollInterval, providerTimeouts } from "./tuning.js";
import { upstreamMessages, withoutKey, type UpstreamOutcome } from "../providers/outcome.js";

export interface ReconcileReport {
  claimed: number;
}

/**
 * One pass of the reconciler: every unfinished task that is due and not leased is leased to this
 * instance and worked once. Runs on every instance; leases keep them from working one task twice.
 */
export async function reconcileDue(deps: AppDeps): Promise<ReconcileReport> {
  const { tuning, instanceId } = deps.generation;
  const tasks = await claimWithinBudget(deps, tuning.reconcileBatch, (limit) =>
    claimDueTasks(deps.db, { owner: instanceId, leaseMs: tuning.leaseMs, limit }),
  );
  await workTasks(deps, tasks);
  return { claimed: tasks.length };
}

/** Refreshes these tasks now if they are due (someone waits for them or polls them). */
export async function refreshTasks(deps: AppDeps, ids: number[], options: { userPoll?: boolean } = {}): Promise<void> {
  const { tuning, instanceId } = deps.generation;
  const tasks = await claimWithinBudget(deps, ids.length, (limit) =>
    claimDueTasks(deps.db, {
      owner: instanceId,
      leaseMs: tuning.leaseMs,
      limit,
      ids,
      ...(options.userPoll ? { refreshAfterMs: tuning.refreshMinMs } : {}),
    }),
  );
  await workTasks(deps, tasks);
}

/** Claims at most what the poll budget allows now (nothing, without a query, when it is spent). */
async function claimWithinBudget(deps: AppDeps, wanted: number, claim: (limit: number) => Promise<ClaimedTask[]>): Promise<ClaimedTask[]> {
  const { pollBudget } = deps.generation;
  const granted = pollBudget.take(wanted);
  if (granted === 0) return [];
  try {
    const tasks = await claim(granted);
    pollBudget.giveBack(granted - tasks.length);
    return tasks;
  } catch (error) {
    pollBudget.giveBack(granted);
    throw error;
  }
}

/**
 * Works the claimed tasks; the polls that leave a task running are recorded together at the end, in
 * one statement (a final outcome is written at once, in the task's own transaction).
 */
async function workTasks(deps: AppDeps, tasks: ClaimedTask[]): Promise<void> {
  if (tasks.length === 0) return;
  const polls = (await Promise.all(tasks.map((task) => workTask(deps, task)))).filter((poll) => poll !== undefined);
  try {
    await recordPolls(deps.db, deps.generation.instanceId, polls);
  } catch (error) {
    deps.logger.error({ err: error, tasks: polls.length }, "recording polls failed; their leases lapse and they are polled again");
  }
}

/** Acts on one leased task: fail what can no longer finish, otherwise poll its upstream once. */
async function workTask(deps: AppDeps, task: ClaimedTask): Promise<PollRecord | undefined> {
  const { tuning } = deps.generation;
  // A child logger only when a line is written: most polls log nothing.
  const log = () => deps.logger.child({ task: task.public_id, kind: task.kind });
  try {
    if (task.upstream_id === null) {
      // Nobody holds the lease of a task that never got its upstream id: the instance that created
      // it stopped between the charge and the submit, or during a synchronous upstream call.
      const synchronous = deps.generation.registry.named(task.provider)?.mode === "sync";
      log().warn("task cut off before the upstream answered: failed and refunded");
      await failTask(deps.db, task.id, {
        message: synchronous ? upstreamMessages.restarted : upstreamMessages.interrupted,
        detail: synchronous
          ? "the instance running the upstream call stopped (lease lapsed)"
          : "no upstream id after the grace period (instance stopped)",
      });
      return;
    }
    if (task.age_ms > tuning.maxAgeMs[task.kind]) {
      log().warn({ ageMs: task.age_ms }, "task too old: failed and refunded");
      await failTask(deps.db, task.id, {
        message: upstreamMessages.tooLong,
        detail: `no result after ${Math.round(task.age_ms / 1000)} s`,
      });
      return;
    }
    return await applyPollOutcome(deps, task, await pollTask(deps, task, task.upstream_id));
  } catch (error) {
    log().error({ err: error }, "reconciling a task failed; its lease lapses and it is tried again");
    return undefined;
  }
}

/**
 * Polls a task where it was sent: its provider, at the endpoint that accepted it. A provider or an
 * endpoint this instance no longer has is a transient failure (backing off, failed when too old),
 * not a reason to ask someone else, who never saw the task.
 */
async function pollTask(deps: AppDeps, task: ClaimedTask, upstreamId: string): Promise<UpstreamOutcome> {
  const provider = deps.generation.registry.named(task.provider);
  const endpoint = deps.providers[task.endpoint];
  if (provider?.mode !== "async") return { kind: "transient", detail: `no polling provider "${task.provider}" in this build` };
  if (!endpoint) return { kind: "transient", detail: `endpoint "${task.endpoint}" is no longer configured` };
  return deps.generation.limiter.run(task.endpoint, async () =>
    withoutKey(await provider.poll(endpoint, upstreamId, providerTimeouts(deps.generation.tuning, task.kind)), endpoint.apiKey),
  );
}

/** Writes a final outcome now; answers what to record for a task that goes on. */
async function applyPollOutcome(deps: AppDeps, task: ClaimedTask, outcome: UpstreamOutcome): Promise<PollRecord | undefined> {
  const { tuning } = deps.generation;
  // A child logger only when a line is written: most polls log nothing.
  const log = () => deps.logger.child({ task: task.public_id, kind: task.kind });
  switch (outcome.kind) {
    case "succeeded":
      await completeTask(deps.db, task.id, outcome.urls);
      return;
    case "failed":
      if (outcome.upstreamLost && task.age_ms < tuning.lostGraceMs) {
        // A relay may not know a task it has only just accepted: pending, not lost, for a while.
        return { id: task.id, failed: false, nextPollMs: pollInterval(tuning, task.age_ms, task.kind) };
      }
      if (outcome.upstreamLost)
        log().warn({ upstreamId: task.upstream_id, detail: outcome.detail }, "upstream does not know this task: failed and refunded");
      else if (outcome.operatorProblem)
        log().error(
          { detail: outcome.detail },
          `upstream account problem: ${deps.generation.registry.named(task.provider)?.accountHint ?? task.provider}`,
        );
      else if (outcome.untrusted)
        log().error({ detail: outcome.detail }, "upstream answered a result we refuse to pass on: failed and refunded");
      else log().info({ detail: outcome.detail }, "upstream task failed");
      await failTask(deps.db, task.id, { message: outcome.message, detail: outcome.detail, upstreamCalls: 1 });
      return;
    case "running":
    case "accepted":
      return {
        id: task.id,
        progress: outcome.kind === "running" ? outcome.progress : undefined,
        failed: false,
        nextPollMs: pollInterval(tuning, task.age_ms, task.kind),
      };
    case "transient":
      // A failed poll says nothing about the task: it fails only when its polls have failed this long in a row.
      if (task.failing_ms >= tuning.pollFailureWindowMs) {
        const minutes = Math.round(task.failing_ms / 60_000);
        log().error({ detail: outcome.detail, failingMs: task.failing_ms }, "upstream polls have failed too long: task failed");
        await failTask(deps.db, task.id, {
          message: outcome.unreadable ? upstreamMessages.unreadable : upstreamMessages.busy,
          detail: `polls failed for ${minutes} min; last: ${outcome.detail}`,
          upstreamCalls: 1,
        });
        return;
      }
      log().warn({ detail: outcome.detail, failures: task.poll_failures + 1 }, "upstream unavailable: backing off");
      return { id: task.id, failed: true, nextPollMs: backoff(tuning, task.poll_failures + 1) };
  }
}
