import { randomUUID } from "node:crypto";
import type { AppDeps, CoreDeps } from "../deps.js";
import { ProviderRegistry, taskProviders } from "../providers/registry.js";
import type { TaskProvider } from "../providers/provider.js";
import type { Generation } from "./generation.js";
import { LeaseKeeper } from "./lease-keeper.js";
import { ProviderLimiter } from "./limiter.js";
import { PollBudget } from "./poll-budget.js";
import { findTasks, findTaskStates } from "./queries.js";
import { refreshTasks } from "./reconciler.js";
import { defaultTuning, type GenerationTuning } from "./tuning.js";
import { TaskWatcher } from "./watcher.js";

export interface GenerationOptions {
  tuning?: Partial<GenerationTuning>;
  /** The task providers (`providers/registry.ts`'s list unless a build or a test names others). */
  taskProviders?: readonly TaskProvider[];
}

export function createGeneration(core: CoreDeps, options: GenerationOptions = {}): Generation {
  const { polling, syncTimeouts } = core.config;
  const configured: Partial<GenerationTuning> = {
    pollFailureWindowMs: polling.failureWindowMs,
    lostGraceMs: polling.notFoundGraceMs,
    syncCallTimeoutMs: syncTimeouts,
  };
  const fullTuning = { ...defaultTuning, ...configured, ...options.tuning };
  const instanceId = `instance-${randomUUID()}`;
  const generation: Generation = {
    instanceId,
    tuning: fullTuning,
    registry: new ProviderRegistry(options.taskProviders ?? taskProviders),
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
