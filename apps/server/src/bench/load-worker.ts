import autocannon from "autocannon";
import type { LoadResult, LoadSpec } from "./load-spec.js";

/**
 * The load generator, in a process of its own so that its cost is not charged to the server:
 * `node load-worker.js '<LoadSpec JSON>'` runs autocannon and prints one LoadResult JSON line.
 * Each request may name a different user (`users`): `{i}` in the path, body and headers is
 * replaced by the request's number modulo `users`, `{k}` by the entry of `keys` for this request.
 */
const spec = JSON.parse(process.argv[2] ?? "{}") as LoadSpec;

let issued = 0;
const outcomes: Record<string, number> = {};
const outcomeOf = /"(?:code|status)":"([A-Za-z_]+)"/;

function fill(template: string, n: number): string {
  const user = String(spec.users ? n % spec.users : n);
  const key = spec.keys ? (spec.keys[Math.floor(n / (spec.keysRepeat ?? 1))] ?? "") : "";
  return template.replaceAll("{i}", user).replaceAll("{k}", key);
}

const templated = [spec.path, spec.body ?? "", ...Object.values(spec.headers ?? {})].some((t) => t.includes("{"));

const instance = autocannon(
  {
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    ...(spec.amount ? { amount: spec.amount } : {}),
    timeout: spec.timeoutSeconds ?? 10,
    requests: [
      {
        method: spec.method,
        path: spec.path,
        headers: spec.headers,
        ...(spec.body !== undefined ? { body: spec.body } : {}),
        ...(templated
          ? {
              setupRequest: (request) => {
                const n = issued++;
                const headers = Object.fromEntries(Object.entries(spec.headers ?? {}).map(([k, v]) => [k, fill(v, n)]));
                return { ...request, path: fill(spec.path, n), headers, ...(spec.body !== undefined ? { body: fill(spec.body, n) } : {}) };
              },
            }
          : {}),
        onResponse: (status, body) => {
          // "status":"failed" is followed by its code; the first match names the outcome either way.
          const text = String(body);
          const failed = text.includes('"status":"failed"');
          const match = failed ? /"code":"([A-Za-z_]+)"/.exec(text) : outcomeOf.exec(text);
          const name = `${status} ${failed ? "failed:" : ""}${match?.[1] ?? "?"}`;
          outcomes[name] = (outcomes[name] ?? 0) + 1;
        },
      },
    ],
  },
  (error, result) => {
    if (error) {
      console.error(error);
      process.exit(1);
    }
    const out: LoadResult = {
      requests: result.requests.total,
      perSecond: result.requests.total / (result.duration || 1),
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      outcomes,
    };
    console.log(JSON.stringify(out));
  },
);
process.once("SIGTERM", () => instance.stop());
