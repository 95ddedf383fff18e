/**
 * At most `perSecond` upstream polls a second from this instance, on average (a token bucket holding
 * two seconds' worth: the reconciler's pass comes every 2 s, the watcher's every second). Each task's cadence (`pollInterval`) is a floor; when more tasks are due than the budget
 * allows, the most overdue are polled first and the rest wait for the next pass. The cost of following
 * tasks is then bounded by the budget, not by their number: a thousand held sora requests polled every
 * 5 s kept an instance above 10 % of a core (docs/performance.md).
 */
export class PollBudget {
  private tokens: number;
  private refilledAt: number;
  private readonly capacity: number;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.capacity = 2 * perSecond;
    this.tokens = this.capacity;
    this.refilledAt = now();
  }

  /** Takes up to `wanted` polls from the budget; answers how many may run now. */
  take(wanted: number): number {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) / 1000) * this.perSecond);
    this.refilledAt = now;
    const granted = Math.max(0, Math.min(wanted, Math.floor(this.tokens)));
    this.tokens -= granted;
    return granted;
  }

  /** Gives back polls that were taken but not used (fewer tasks were due). */
  giveBack(unused: number): void {
    this.tokens = Math.min(this.capacity, this.tokens + Math.max(0, unused));
  }
}
