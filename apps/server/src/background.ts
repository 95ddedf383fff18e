import type { Logger } from "./logger.js";

/** A periodic job of one instance: safe to run on every instance at once (leases guard shared work). */
export interface BackgroundJob {
  name: string;
  /** Pause between the end of one pass and the start of the next: passes never overlap. */
  intervalMs: number;
  /** One pass. `signal` aborts when the server stops; a pass should then end soon. */
  run(signal: AbortSignal): Promise<unknown>;
}

export interface BackgroundWork {
  /** Starts every job's loop; the first pass of each runs after its interval. */
  start(): void;
  /** Stops scheduling, aborts the running passes and waits for them to end. */
  stop(): Promise<void>;
  /** Runs one pass of the named job now and answers its result (tests, the CLI). */
  runOnce(name: string): Promise<unknown>;
}

/** The background-work lifecycle: started with the server, stopped in order on SIGTERM. */
export function createBackgroundWork(jobs: readonly BackgroundJob[], logger: Logger): BackgroundWork {
  const controller = new AbortController();
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<unknown>>();
  let started = false;

  const jobNamed = (name: string): BackgroundJob => {
    const job = jobs.find((candidate) => candidate.name === name);
    if (!job) throw new Error(`no background job named ${name}`);
    return job;
  };

  const pass = (job: BackgroundJob): Promise<unknown> => {
    const run = job.run(controller.signal).finally(() => running.delete(run));
    running.add(run);
    return run;
  };

  const schedule = (job: BackgroundJob): void => {
    if (controller.signal.aborted) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      pass(job)
        .then(
          (result) => logger.debug({ job: job.name, result }, "background pass done"),
          (error: unknown) => logger.warn({ err: error, job: job.name }, "background pass failed"),
        )
        .finally(() => schedule(job));
    }, job.intervalMs);
    timer.unref();
    timers.add(timer);
  };

  return {
    start() {
      if (started) return;
      started = true;
      for (const job of jobs) schedule(job);
    },
    async stop() {
      controller.abort();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled([...running]);
    },
    async runOnce(name) {
      return pass(jobNamed(name));
    },
  };
}
