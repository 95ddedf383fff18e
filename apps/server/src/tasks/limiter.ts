/**
 * At most `limit` upstream calls in flight per provider from this instance; the rest wait their
 * turn in order. Politeness towards the providers, and a bound on sockets and memory.
 */
export class ProviderLimiter {
  private readonly active = new Map<string, number>();
  private readonly queues = new Map<string, Array<() => void>>();
  constructor(private readonly limit: number) {}

  async run<T>(provider: string, call: () => Promise<T>): Promise<T> {
    await this.acquire(provider);
    try {
      return await call();
    } finally {
      this.release(provider);
    }
  }

  inFlight(provider: string): number {
    return this.active.get(provider) ?? 0;
  }

  private acquire(provider: string): Promise<void> {
    const active = this.active.get(provider) ?? 0;
    if (active < this.limit) {
      this.active.set(provider, active + 1);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const queue = this.queues.get(provider) ?? [];
      queue.push(resolve);
      this.queues.set(provider, queue);
    });
  }

  private release(provider: string): void {
    const next = this.queues.get(provider)?.shift();
    if (next)
      next(); // the slot passes straight to the next caller
    else this.active.set(provider, (this.active.get(provider) ?? 1) - 1);
  }
}
