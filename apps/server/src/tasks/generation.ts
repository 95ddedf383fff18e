import { randomUUID } from "node:crypto";
import type { AppDeps, CoreDeps } from "../deps.js";
import { LeaseKeeper } from "./lease-keeper.js";
import { ProviderLimiter } from "./limiter.js";
import { PollBudget } from "./poll-budget.js";
import { findTasks, findTaskStates } from "./queries.js";
import { refreshTasks } from "./reconciler.js";
import { defaultTuning, type GenerationTuning } from "./tuning.js";
import { TaskWatcher } from "./watcher.js";

/** The task machinery of one server instance. */
export interface Generation {
  /** Names this instance's leases. */
  instanceId: string;
  tuning: GenerationTuning;
  limiter: ProviderLimiter;
  /** Bounds the upstream polls a second of this instance. */
  pollBudget: PollBudget;
  watcher: TaskWatcher;
  /** Renews the leases of the synchronous calls this instance is running. */
  leases: LeaseKeeper;
  /** Answers every held request at once with its task's state (SIGTERM); tasks go on elsewhere. */
  shutdown(): Promise<void>;
}

export function createGeneration(core: CoreDeps, tuning: Partial<GenerationTuning> = {}): Generation {
  const fullTuning = { ...defaultTuning, ...tuning };
  const instanceId = `instance-${randomUUID()}`;
  const generation: Generation = {
    instanceId,
    tuning: fullTuning,
    limiter: new ProviderLimiter(fullTuning.maxInFlightPerProvider),
    pollBudget: new PollBudget(fullTuning.maxPollsPerSecond),
    watcher: new TaskWatcher({
      intervalMs: fullTuning.watchIntervalMs,
      keepAliveMs: fullTuning.keepAliveMs,
      logger: core.logger,
      load: (ids) => findTasks(core.db, ids),
      peek: (ids) => findTaskStates(core.db, ids),
      refresh: (ids) => refreshTasks(deps, ids),
    }),
    leases: new LeaseKeeper({ db: core.db, owner: instanceId, leaseMs: fullTuning.leaseMs, logger: core.logger }),
    shutdown: () => generation.watcher.shutdown(),
  };
  const deps: AppDeps = { ...core, generation };
  return generation;
}
