/** A bounded closed-loop load generator for loopback benchmarks: `concurrency` workers until `seconds` or `maxRequests`. */
export interface LoadResult {
  requests: number;
  failures: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export async function runLoad(
  request: (worker: number, i: number) => Promise<boolean>,
  { concurrency, seconds, maxRequests }: { concurrency: number; seconds: number; maxRequests: number },
): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  let issued = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < deadline && issued < maxRequests) {
        const i = issued++;
        const t0 = performance.now();
        const ok = await request(worker, i).catch(() => false);
        latencies.push(performance.now() - t0);
        if (!ok) failures++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    failures,
    seconds: elapsed,
    perSecond: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
  };
}

export function describeLoad(name: string, result: LoadResult): string {
  const f = (n: number) => n.toFixed(1);
  return `${name.padEnd(34)} ${String(result.requests).padStart(7)} req  ${f(result.perSecond).padStart(8)} req/s  p50 ${f(result.p50)} ms  p95 ${f(result.p95)} ms  p99 ${f(result.p99)} ms  failures ${result.failures}`;
}
