import { Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * The server's Prometheus metrics. One registry per process, like the process itself: the few
 * central points that move them (the request log, changePoints, the task compare-and-sets, the
 * upstream calls) need no dependency passed in. Gauges are read when scraped (`refreshGauges`).
 */
export const registry = new Registry();

/** Seconds: a heartbeat takes milliseconds, a held generation answer up to ten minutes. */
const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120, 600];

export const requestDuration = new Histogram({
  name: "ocean1_request_duration_seconds",
  help: "HTTP requests by operation and outcome (the failure code, ok, or http_<status>); _count is the number of requests",
  labelNames: ["operation", "outcome"] as const,
  buckets: durationBuckets,
  registers: [registry],
});

export const tasks = new Counter({
  name: "ocean1_tasks_total",
  help: "Generation tasks entering a status (pending when created and charged, completed, failed and refunded), by kind",
  labelNames: ["kind", "status"] as const,
  registers: [registry],
});

export const points = new Counter({
  name: "ocean1_points_total",
  help: "Points moved through the ledger, by ledger type (consume = charged, refund = refunded), counted when written",
  labelNames: ["type", "direction"] as const,
  registers: [registry],
});

export const upstreamCalls = new Counter({
  name: "ocean1_upstream_calls_total",
  help: "Calls to upstream AI providers, by provider and outcome (ok, http_<status>, timeout, error; moderated: the chat provider filtered the conversation)",
  labelNames: ["provider", "outcome"] as const,
  registers: [registry],
});

export const pool = new Gauge({
  name: "ocean1_db_pool_connections",
  help: "Database pool: connections open (total), idle, and callers waiting for one (waiting)",
  labelNames: ["state"] as const,
  registers: [registry],
});

export const heldRequests = new Gauge({
  name: "ocean1_held_requests",
  help: "Generation requests held open waiting for their task right now",
  registers: [registry],
});

export function countPoints(type: string, delta: number): void {
  if (delta !== 0) points.labels(type, delta > 0 ? "credit" : "debit").inc(Math.abs(delta));
}

/** Counts one upstream call as `outcome`, for a client that learns what its call came to only from the body. */
export function countUpstreamOutcome(provider: string, outcome: string): void {
  upstreamCalls.labels(provider, outcome).inc();
}

/** Counts one upstream call by what it came to; answers the call's own result or rethrows its error. */
export async function countUpstream<T extends { status: number }>(provider: string, call: Promise<T>): Promise<T> {
  try {
    const res = await call;
    countUpstreamOutcome(provider, res.status >= 200 && res.status < 300 ? "ok" : `http_${res.status}`);
    return res;
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    countUpstreamOutcome(provider, name === "TimeoutError" || name === "AbortError" ? "timeout" : "error");
    throw error;
  }
}
