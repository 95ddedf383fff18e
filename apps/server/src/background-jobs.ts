import type { BackgroundJob } from "./background.js";
import type { AppDeps } from "./deps.js";
import { pruneExpiredState } from "./maintenance.js";
import { reconcileDue } from "./tasks/reconciler.js";
import { sweepChatCalls } from "./modules/chat/charges.js";

/** Every periodic job of a server instance. */
export function backgroundJobs(deps: AppDeps): BackgroundJob[] {
  return [
    {
      name: "prune",
      intervalMs: 10 * 60_000,
      run: () => pruneExpiredState(deps.db, deps.clock.now()),
    },
    {
      // Tasks outlive requests and restarts: every unfinished task is followed here (DESIGN.md §6).
      name: "tasks",
      intervalMs: deps.generation.tuning.reconcileIntervalMs,
      run: () => reconcileDue(deps),
    },
    {
      name: "chat-refunds",
      intervalMs: 60_000,
      run: (signal) => sweepChatCalls(deps.db, deps.logger, signal),
    },
  ];
}
