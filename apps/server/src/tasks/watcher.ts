import { isFinalStatus } from "@ocean1/contract";
import type { Task } from "../db/schema.js";
import type { Logger } from "../logger.js";

/** Whether a waiter's deadline has passed (a loop: this runs for every held task every second). */
function anyDue(waiters: Set<Waiter>, now: number): boolean {
  for (const waiter of waiters) if (now >= waiter.deadline) return true;
  return false;
}

/** The task will not change again (the contract's rule). */
export const isFinal = (task: Pick<Task, "status">) => isFinalStatus(task.status);

const statusRank: Record<Task["status"], number> = { pending: 0, processing: 1, completed: 2, failed: 3 };

/** A task's status and progress as one number, compared on every pass for every held task without making a string. */
const stateKey = (task: Pick<Task, "status" | "progress">) => statusRank[task.status] * 1000 + task.progress;

/** Someone waiting for a task: a held HTTP answer, or a tRPC call. */
export interface Waiter {
  /** When to stop waiting and answer the task as it stands (ms since the epoch). */
  deadline: number;
  /** When the waiter last wrote a byte; the watcher asks for a keep-alive after `keepAliveMs`. */
  lastWriteAt: number;
  keepAlive(): void;
  /** The task's state on each pass while it runs. */
  update(task: Task): void;
  /** The task ended, the deadline passed, or the server stops: answer now. Called once. */
  finish(task: Task): void;
}

export interface WatcherOptions {
  intervalMs: number;
  keepAliveMs: number;
  logger: Logger;
  /** Reads the watched tasks, in one query. */
  load(ids: number[]): Promise<Task[]>;
  /** Reads only the status and progress of the watched tasks, in one query. */
  peek(ids: number[]): Promise<Array<Pick<Task, "id" | "status" | "progress">>>;
  /** Asks the reconciler to refresh those that are due (it leases them: no duplicate polls). */
  refresh(ids: number[]): Promise<unknown>;
}

/**
 * One loop per instance for every held request: each pass reads the watched tasks' status and
 * progress in one query, refreshes the due ones from upstream, reads whole only the tasks that
 * moved or must be answered now, and tells their waiters. A thousand held requests cost a thousand
 * small objects in a Map and one narrow read a second, not a thousand timers polling the upstream.
 */
export class TaskWatcher {
  private readonly waiters = new Map<number, Set<Waiter>>();
  /** The status and progress each watched task had at the last pass that told its waiters. */
  private readonly told = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private refreshing = false;
  private closed = false;

  constructor(private readonly options: WatcherOptions) {}

  get size(): number {
    let count = 0;
    for (const set of this.waiters.values()) count += set.size;
    return count;
  }

  /** Starts watching; the answer stops watching (a client that went away). */
  watch(task: Task, waiter: Waiter): () => void {
    if (this.closed || isFinal(task)) {
      waiter.finish(task);
      return () => undefined;
    }
    const set = this.waiters.get(task.id) ?? new Set<Waiter>();
    set.add(waiter);
    this.waiters.set(task.id, set);
    this.schedule();
    return () => this.remove(task.id, waiter);
  }

  /** SIGTERM: every held request is answered at once with its task's current state. */
  async shutdown(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const ids = [...this.waiters.keys()];
    const tasks = await this.options.load(ids).catch((error: unknown) => {
      this.options.logger.error({ err: error }, "could not read held tasks at shutdown");
      return [];
    });
    for (const task of tasks) for (const waiter of this.waiters.get(task.id) ?? []) waiter.finish(task);
    this.waiters.clear();
  }

  private remove(id: number, waiter: Waiter): void {
    const set = this.waiters.get(id);
    set?.delete(waiter);
    if (set?.size === 0) {
      this.waiters.delete(id);
      this.told.delete(id);
    }
  }

  private schedule(): void {
    if (this.timer || this.closed || this.waiters.size === 0) return;
    this.timer = setTimeout(() => {
      void this.pass()
        .then(
          () => undefined,
          (error: unknown) => this.options.logger.warn({ err: error }, "watcher pass failed"),
        )
        .finally(() => {
          this.timer = undefined;
          this.schedule();
        });
    }, this.options.intervalMs);
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    const ids = [...this.waiters.keys()];
    if (ids.length === 0) return;
    if (!this.refreshing) {
      this.refreshing = true;
      void this.options
        .refresh(ids)
        .then(
          () => undefined,
          (error: unknown) => this.options.logger.warn({ err: error }, "refresh of held tasks failed"),
        )
        .finally(() => (this.refreshing = false));
    }
    const now = Date.now();
    const moved: number[] = [];
    for (const state of await this.options.peek(ids)) {
      const waiters = this.waiters.get(state.id);
      if (!waiters) continue;
      if (isFinal(state) || this.told.get(state.id) !== stateKey(state) || anyDue(waiters, now)) {
        moved.push(state.id);
        continue;
      }
      for (const waiter of waiters) if (now - waiter.lastWriteAt >= this.options.keepAliveMs) waiter.keepAlive();
    }
    if (moved.length === 0) return;
    for (const task of await this.options.load(moved)) {
      if (this.waiters.has(task.id)) this.told.set(task.id, stateKey(task));
      for (const waiter of this.waiters.get(task.id) ?? []) {
        if (isFinal(task) || now >= waiter.deadline) {
          this.remove(task.id, waiter);
          waiter.finish(task);
          continue;
        }
        waiter.update(task);
        if (now - waiter.lastWriteAt >= this.options.keepAliveMs) waiter.keepAlive();
      }
    }
  }
}
