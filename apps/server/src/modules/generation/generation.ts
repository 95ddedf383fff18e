import { randomUUID } from "node:crypto";
import type { AppDeps, CoreDeps } from "../../deps.js";
import { ProviderLimiter } from "./limiter.js";
import { findTasks } from "./queries.js";
import { refreshTasks } from "./reconciler.js";
import { defaultTuning, type GenerationTuning } from "./tuning.js";
import { TaskWatcher } from "./watcher.js";

/** The task machinery of one server instance. */
export interface Generation {
  /** Names this instance's leases. */
  instanceId: string;
  tuning: GenerationTuning;
  limiter: ProviderLimiter;
  watcher: TaskWatcher;
  /** Answers every held request at once with its task's state (SIGTERM); tasks go on elsewhere. */
  shutdown(): Promise<void>;
}

export function createGeneration(core: CoreDeps, tuning: Partial<GenerationTuning> = {}): Generation {
  const fullTuning = { ...defaultTuning, ...tuning };
  const generation: Generation = {
    instanceId: `instance-${randomUUID()}`,
    tuning: fullTuning,
    limiter: new ProviderLimiter(fullTuning.maxInFlightPerProvider),
    watcher: new TaskWatcher({
      intervalMs: fullTuning.watchIntervalMs,
      keepAliveMs: fullTuning.keepAliveMs,
      logger: core.logger,
      load: (ids) => findTasks(core.db, ids),
      refresh: (ids) => refreshTasks(deps, ids),
    }),
    shutdown: () => generation.watcher.shutdown(),
  };
  const deps: AppDeps = { ...core, generation };
  return generation;
}
