import { renewLeases } from "./queries.js";
import type { Db } from "../db/database.js";
import type { Logger } from "../logger.js";

/**
 * Keeps this instance's leases on the tasks it is working synchronously (Jimeng calls of minutes):
 * one UPDATE for all of them every third of a lease. When the instance dies, the leases lapse and
 * the reconciler fails and refunds those tasks.
 */
export class LeaseKeeper {
  private readonly ids = new Set<number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: { db: Db; owner: string; leaseMs: number; logger: Logger }) {}

  add(id: number): void {
    this.ids.add(id);
    if (this.timer) return;
    this.timer = setInterval(() => void this.renew(), Math.max(50, this.options.leaseMs / 3));
    this.timer.unref();
  }

  remove(id: number): void {
    this.ids.delete(id);
    if (this.ids.size === 0) this.stop();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async renew(): Promise<void> {
    try {
      await renewLeases(this.options.db, [...this.ids], this.options.owner, this.options.leaseMs);
    } catch (error) {
      this.options.logger.warn({ err: error }, "renewing task leases failed");
    }
  }
}
