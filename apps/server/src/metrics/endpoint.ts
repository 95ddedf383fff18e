import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AppDeps } from "../deps.js";
import { poolUsage } from "../db/database.js";
import { sameHash } from "../lib/secrets.js";
import { heldRequests, pool, registry } from "./metrics.js";

/** The gauges that are read, not counted: the pool and the held requests of this instance. */
function refreshGauges(deps: AppDeps): void {
  const usage = poolUsage(deps.db);
  if (usage) {
    pool.labels("total").set(usage.total);
    pool.labels("idle").set(usage.idle);
    pool.labels("waiting").set(usage.waiting);
  }
  heldRequests.set(deps.generation.watcher.size);
}

/** Whether the request carries `Authorization: Bearer <token>` (compared in constant time). */
export function bearerMatches(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? "";
  return header.startsWith("Bearer ") && sameHash(header.slice(7), token);
}

/**
 * Answers a scrape in the Prometheus text format. With a token configured, a request without it is
 * refused with 401 and nothing else: the figures (traffic, failures, balances moved) are not public.
 */
export function serveMetrics(deps: AppDeps, token: string | undefined) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (token !== undefined && !bearerMatches(req, token)) {
      res.statusCode = 401;
      res.setHeader("WWW-Authenticate", 'Bearer realm="metrics"');
      res.end();
      return;
    }
    refreshGauges(deps);
    registry
      .metrics()
      .then((text) => {
        res.setHeader("Content-Type", registry.contentType);
        res.end(text);
      })
      .catch((error: unknown) => {
        deps.logger.error({ err: error }, "metrics could not be collected");
        res.statusCode = 500;
        res.end();
      });
  };
}

/** The metrics listener of METRICS_PORT (default host 127.0.0.1): `/metrics` only, 404 for anything else. */
export async function startMetricsServer(deps: AppDeps): Promise<Server | undefined> {
  const { port, host, token } = deps.config.metrics;
  if (port === undefined) return undefined;
  const scrape = serveMetrics(deps, token);
  const server = createServer((req, res) => {
    if (req.method === "GET" && req.url?.split("?")[0] === "/metrics") return scrape(req, res);
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  return server;
}
