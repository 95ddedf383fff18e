import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { Task } from "../db/schema.js";
import { createLogger } from "../logger.js";
import { TaskWatcher, type Waiter } from "./watcher.js";

/** The task rows the watcher reads, kept in memory: what the test changes, the next pass sees. */
function taskTable(count: number) {
  const rows = new Map<number, Task>(
    Array.from({ length: count }, (_, i) => [i + 1, { id: i + 1, status: "processing", progress: 0 } as unknown as Task]),
  );
  const loads: number[][] = [];
  let peeks = 0;
  return {
    rows,
    loads,
    /** Resolves after `count` more passes have read the states (whatever the machine's load). */
    async passes(count: number) {
      const target = peeks + count;
      while (peeks < target) await sleep(5);
    },
    load: (ids: number[]) => {
      loads.push([...ids].sort());
      return Promise.resolve(ids.flatMap((id) => (rows.has(id) ? [{ ...(rows.get(id) as Task) }] : [])));
    },
    peek: (ids: number[]) =>
      Promise.resolve(peeks++).then(() =>
        ids.flatMap((id) =>
          rows.has(id) ? [{ id, status: rows.get(id)?.status ?? "pending", progress: rows.get(id)?.progress ?? 0 }] : [],
        ),
      ),
  };
}

function recordingWaiter(deadline = Date.now() + 60_000) {
  const seen: string[] = [];
  const waiter: Waiter = {
    deadline,
    lastWriteAt: Date.now(),
    keepAlive() {
      seen.push("keep-alive");
      this.lastWriteAt = Date.now();
    },
    update: (task) => seen.push(`update ${task.status}/${task.progress}`),
    finish: (task) => seen.push(`finish ${task.status}`),
  };
  return { waiter, seen };
}

/** A watcher passing every 20 ms over the table, with no upstream to refresh. */
function watcherOf(table: ReturnType<typeof taskTable>, keepAliveMs: number): TaskWatcher {
  return new TaskWatcher({
    intervalMs: 20,
    keepAliveMs,
    logger: createLogger("silent"),
    load: table.load,
    peek: table.peek,
    refresh: () => Promise.resolve(),
  });
}

describe("the task watcher", () => {
  it("reads whole only the tasks that moved, and tells only their waiters", async () => {
    const table = taskTable(3);
    const watcher = watcherOf(table, 60_000);
    const waiters = [1, 2, 3].map((id) => {
      const recorded = recordingWaiter();
      watcher.watch(table.rows.get(id) as Task, recorded.waiter);
      return recorded;
    });
    await table.passes(3);
    // The first pass reads every task once; nothing moved since, so no pass reads one again.
    expect(table.loads).toEqual([[1, 2, 3]]);
    table.rows.set(2, { ...(table.rows.get(2) as Task), progress: 40 });
    await table.passes(3);
    expect(table.loads).toEqual([[1, 2, 3], [2]]);
    expect(waiters.map(({ seen }) => seen)).toEqual([
      ["update processing/0"],
      ["update processing/0", "update processing/40"],
      ["update processing/0"],
    ]);
    table.rows.set(3, { ...(table.rows.get(3) as Task), status: "completed", progress: 100 });
    await table.passes(3);
    expect(table.loads).toEqual([[1, 2, 3], [2], [3]]);
    expect(waiters[2]?.seen.at(-1)).toBe("finish completed");
    expect(watcher.size).toBe(2);
    await watcher.shutdown();
    expect(waiters.map(({ seen }) => seen.at(-1))).toEqual(["finish processing", "finish processing", "finish completed"]);
  });

  it("keeps an unchanged task's held answers alive and answers them at their deadline", async () => {
    const table = taskTable(1);
    const watcher = watcherOf(table, 50);
    const { waiter, seen } = recordingWaiter(Date.now() + 250);
    watcher.watch(table.rows.get(1) as Task, waiter);
    while (watcher.size > 0) await sleep(10);
    expect(seen[0]).toBe("update processing/0");
    expect(seen).toContain("keep-alive");
    expect(seen.at(-1)).toBe("finish processing");
    expect(watcher.size).toBe(0);
    // One read for the first pass and one for the deadline's answer: the keep-alives needed none.
    expect(table.loads).toEqual([[1], [1]]);
  });
});
