import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Worker } from "node:worker_threads";
import { sql } from "kysely";
import pg from "pg";
import { createApp } from "../app.js";
import { loadConfig } from "../config.js";
import { createDatabase } from "../db/database.js";
import { migrateToLatest } from "../db/migrate.js";
import { systemClock } from "../lib/clock.js";
import { createLogger } from "../logger.js";
import { createOutboxMailer } from "../mail/mailer.js";
import { hashDeviceId } from "../modules/auth/sessions.js";
import { createGeneration } from "../modules/generation/generation.js";
import { resolveProviders } from "../providers.js";

/**
 * `pnpm bench:held`: memory of many concurrently held sora requests, and upstream calls per task.
 * The server runs in this thread; the simulator and the clients run in a worker thread, so the
 * heap figures are the server's own. Knobs: BENCH_HELD (1000), BENCH_TASK_SECONDS (40), BENCH_ADMIN_URL.
 */
const held = Number(process.env.BENCH_HELD ?? 1000);
const taskSeconds = Number(process.env.BENCH_TASK_SECONDS ?? 40);
/** How long the CPU of the holding process is measured, once every request is held. */
const idleWindowMs = 5_000;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const gc = (globalThis as { gc?: () => void }).gc;
function memory() {
  gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(statement).finally(() => client.end());
}

function nextMessage<T>(worker: Worker, key: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const listener = (message: Record<string, unknown>) => {
      if (message.error) reject(new Error(String(message.error)));
      if (key in message) {
        worker.off("message", listener);
        resolve(message[key] as T);
      }
    };
    worker.on("message", listener);
  });
}

async function main(): Promise<void> {
  const workDir = await mkdtemp(path.join(tmpdir(), "ocean1-bench-held-"));
  await chmod(workDir, 0o755);
  let adminUrl = process.env.BENCH_ADMIN_URL;
  let stopCluster = async () => {};
  if (!adminUrl) {
    const { startEmbeddedPostgres } = await import("../db/embedded.js");
    const cluster = await startEmbeddedPostgres({ directory: workDir, persistent: false });
    adminUrl = cluster.adminUrl;
    stopCluster = () => cluster.stop();
  }
  const dbName = `ocean1_bench_${randomBytes(4).toString("hex")}`;
  await adminQuery(adminUrl, `create database ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const db = createDatabase({ url: url.toString(), poolSize: 20 });
  await migrateToLatest(db);

  const worker = new Worker(new URL("./held-clients.js", import.meta.url));
  worker.postMessage({ start: { taskMs: taskSeconds * 1000 } });
  const simulatorUrl = await nextMessage<string>(worker, "simulatorUrl");

  const config = loadConfig(
    { LOG_LEVEL: "silent", SORA_WAIT_SECONDS: "590", GRSAI_BASE_URL: simulatorUrl, GRSAI_API_KEY: "bench" },
    undefined,
  );
  const logger = createLogger("silent");
  const secret = randomBytes(32).toString("hex");
  const core = {
    db,
    config,
    secret,
    logger,
    clock: systemClock,
    mailer: createOutboxMailer(path.join(workDir, "outbox"), logger),
    providers: resolveProviders(config),
  };
  const deps = { ...core, generation: createGeneration(core) };

  const users = Array.from({ length: held }, (_, i) => ({ email: `held${i}@example.com`, device: `held-device-${i}` }));
  const inserted = await db
    .insertInto("users")
    .values(users.map((u, i) => ({ email: u.email, nickname: `held${i}`, password_hash: "x" })))
    .returning(["id"])
    .execute();
  await db
    .insertInto("sessions")
    .values(inserted.map((u, i) => ({ user_id: u.id, device_hash: hashDeviceId(secret, users[i]?.device ?? "") })))
    .execute();
  // Each user starts with 20 points, recorded as the ledger's first row.
  await sql`update users set points = 20`.execute(db);
  await sql`insert into ledger (user_id, type, amount, balance_after, description) select id, 'adjust', 20, 20, 'bench' from users`.execute(
    db,
  );

  const server: Server = createApp(deps).listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // Warm the paths once, then take the baseline.
  await fetch(`${baseUrl}/healthz`);
  const before = memory();
  console.log(`ocean1 held-request bench: ${held} sora requests held at once against the simulator (tasks take ${taskSeconds} s)`);
  const done = nextMessage<{ ms: number; completed: number; withWhitespace: number; upstream: { submit: number; result: number } }>(
    worker,
    "done",
  );
  worker.postMessage({ fire: { baseUrl, users } });
  const allHeldMs = await nextMessage<number>(worker, "allHeld");
  // On a loaded machine the first tasks may finish before the last request is held: wait at most half a task.
  const holdDeadline = Date.now() + (taskSeconds * 1000) / 2;
  while (deps.generation.watcher.size < held && Date.now() < holdDeadline) await sleep(100);
  await sleep(2_000);
  // CPU of the whole process (server, and the idle simulator and clients of the worker) while all are held.
  const cpuBefore = process.cpuUsage();
  const eluBefore = performance.eventLoopUtilization();
  const windowStarted = performance.now();
  await sleep(idleWindowMs);
  const cpu = process.cpuUsage(cpuBefore);
  // The server's own thread: the share of the window its event loop was busy (the worker's clients excluded).
  const serverLoopPercent = performance.eventLoopUtilization(eluBefore).utilization * 100;
  const idleCorePercent = ((cpu.user + cpu.system) / 1000 / (performance.now() - windowStarted)) * 100;
  const during = memory();
  const watchers = deps.generation.watcher.size;
  const result = await done;

  const { rows } = await sql<{ tasks: number; calls: number; completed: number }>`
    select count(*)::int as tasks, sum(upstream_calls)::int as calls, count(*) filter (where status = 'completed')::int as completed from tasks`.execute(
    db,
  );
  const stats = rows[0] ?? { tasks: 0, calls: 0, completed: 0 };

  console.log(`all ${held} answers started (headers sent) after ${allHeldMs} ms; held at once: ${watchers}`);
  console.log(
    `server heap used: ${mb(before.heapUsed)} before, ${mb(during.heapUsed)} while holding ${watchers} → ${((during.heapUsed - before.heapUsed) / watchers / 1024).toFixed(1)} KB per held request`,
  );
  console.log(`process RSS (server + worker with simulator and clients): ${mb(before.rss)} before, ${mb(during.rss)} while holding`);
  console.log(
    `answers: ${result.completed}/${held} completed, ${result.withWhitespace} began with keep-alive whitespace, last after ${(result.ms / 1000).toFixed(1)} s`,
  );
  console.log(
    `upstream calls seen by the simulator: ${result.upstream.submit} submits + ${result.upstream.result} result polls = ${((result.upstream.submit + result.upstream.result) / held).toFixed(2)} per task`,
  );
  console.log(
    `upstream calls recorded on the tasks: ${(stats.calls / Math.max(1, stats.tasks)).toFixed(2)} per task (${stats.completed}/${stats.tasks} completed)`,
  );
  console.log(
    `CPU while holding ${watchers}: process (server + simulator + clients) ${idleCorePercent.toFixed(1)} % of one core, server event loop busy ${serverLoopPercent.toFixed(1)} % over ${idleWindowMs / 1000} s`,
  );
  if (!gc) console.log("(run with node --expose-gc for heap figures after a collection)");
  // For pnpm bench, which runs this script as a child process and reads its figures.
  const summary = {
    held,
    watchers,
    heapAddedMb: (during.heapUsed - before.heapUsed) / 1024 / 1024,
    rssAddedMb: (during.rss - before.rss) / 1024 / 1024,
    idleCorePercent,
    serverLoopPercent,
    completed: result.completed,
  };
  console.log(`HELD_SUMMARY ${JSON.stringify(summary)}`);

  worker.postMessage({ stop: true });
  await deps.generation.shutdown();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await db.destroy();
  await adminQuery(adminUrl, `drop database ${dbName} with (force)`);
  await stopCluster();
  await rm(workDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
