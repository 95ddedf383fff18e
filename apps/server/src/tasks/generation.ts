import type { ProviderRegistry } from "../providers/registry.js";
import type { LeaseKeeper } from "./lease-keeper.js";
import type { ProviderLimiter } from "./limiter.js";
import type { PollBudget } from "./poll-budget.js";
import type { GenerationTuning } from "./tuning.js";
import type { TaskWatcher } from "./watcher.js";

/** The task machinery of one server instance (built by `createGeneration`). */
export interface Generation {
  /** Names this instance's leases. */
  instanceId: string;
  tuning: GenerationTuning;
  /** The task providers, and which one serves a kind. */
  registry: ProviderRegistry;
  /** Bounds the calls in flight to each endpoint. */
  limiter: ProviderLimiter;
  /** Bounds the upstream polls a second of this instance. */
  pollBudget: PollBudget;
  watcher: TaskWatcher;
  /** Renews the leases of the synchronous calls this instance is running. */
  leases: LeaseKeeper;
  /** Answers every held request at once with its task's state (SIGTERM); tasks go on elsewhere. */
  shutdown(): Promise<void>;
}
