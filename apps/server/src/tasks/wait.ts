import type { AppDeps } from "../deps.js";
import type { Task } from "../db/schema.js";

/** Resolves with the task once it ends, the wait passes, or the server stops (tRPC's held call). */
export function waitForTask(deps: AppDeps, task: Task, waitMs: number): Promise<Task> {
  return new Promise((resolve) => {
    deps.generation.watcher.watch(task, {
      deadline: Date.now() + waitMs,
      lastWriteAt: Date.now(),
      keepAlive() {
        this.lastWriteAt = Date.now();
      },
      update: () => undefined,
      finish: resolve,
    });
  });
}

export function waitMsOf(deps: AppDeps, kind: "sora" | "banana"): number {
  return (kind === "sora" ? deps.config.waits.soraSeconds : deps.config.waits.bananaSeconds) * 1000;
}
