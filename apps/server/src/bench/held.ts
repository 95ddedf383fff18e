import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "kysely";
import { createDatabase, type Db } from "../db/database.js";
import { freePort } from "../db/embedded.js";
import { unfinishedSql } from "../tasks/queries.js";
import { migrateToLatest } from "../db/migrate.js";
import { hashDeviceId } from "../modules/auth/sessions.js";
import { startSimulator } from "../simulator/app.js";
import { fireSora, type HeldUser } from "./held-clients.js";
import { adminQuery, benchServerEnv, startServer, type ServerProcess } from "./processes.js";

/**
 * `pnpm bench:held`: the BUILT server (`dist/main.js`, production mode, logging at info to a file) in
 * its own process on a throwaway PostgreSQL; the GrsAI simulator and 1,000 clients in this process.
 * CPU (utime + stime) and RSS of the server process are read from /proc. Three windows:
 *   1. idle: no task at all (the server's own background jobs);
 *   2. holding: 1,000 sora requests held open (15 s whitespace keep-alives) while their tasks run;
 *   3. polling only (after those ended): 1,000 sora tasks running, nobody holding them.
 * Window 3 prices one upstream poll, to tell how much of window 2 is polling. The server runs with
 * --trace-gc (into its log): the heap figures are V8's "used after the most recent collection".
 * Knobs: BENCH_HELD (1000), BENCH_TASK_SECONDS (90), BENCH_WINDOW_SECONDS (30), BENCH_POLL_PHASE (1; 0 skips
 * window 3), BENCH_ADMIN_URL (an existing cluster), BENCH_PROFILE=<dir> (--cpu-prof of the server),
 * BENCH_SERVER_MAIN (another build of the server, e.g. an older commit's, for before/after).
 */
// A benchmark tool's own knobs, not the server's configuration (which config.ts reads).
const env = process.env;
const held = Number(env.BENCH_HELD ?? 1000);
const taskSeconds = Number(env.BENCH_TASK_SECONDS ?? 90);
const windowSeconds = Number(env.BENCH_WINDOW_SECONDS ?? 30);
const pollPhase = env.BENCH_POLL_PHASE !== "0";
const dist = path.dirname(fileURLToPath(new URL("../main.js", import.meta.url)));

/** `count` users with a session each and 20 points (one sora-2 of 10 s), recorded as the ledger's first row. */
async function seedHeldUsers(db: Db, secret: string, count: number): Promise<HeldUser[]> {
  const users = Array.from({ length: count }, (_, i) => ({ email: `held${i}@example.com`, device: `held-device-${i}` }));
  const inserted = await db
    .insertInto("users")
    .values(users.map((u, i) => ({ email: u.email, nickname: `held${i}`, password_hash: "x" })))
    .returning(["id"])
    .execute();
  await db
    .insertInto("sessions")
    .values(inserted.map((u, i) => ({ user_id: u.id, device_hash: hashDeviceId(secret, users[i]?.device ?? "") })))
    .execute();
  await sql`update users set points = 20`.execute(db);
  await sql`insert into ledger (user_id, type, amount, balance_after, description) select id, 'adjust', 20, 20, 'bench' from users`.execute(
    db,
  );
  return users;
}

interface Window {
  seconds: number;
  corePercent: number;
  rssMb: number;
  polls: number;
  submits: number;
}

/**
 * The server's RSS read every 250 ms while it runs: one reading lands anywhere on the old
 * generation's saw-tooth, so the held requests' cost is told by the peak and the mean over the hold.
 */
function sampleRss(server: ServerProcess): { stop(): { min: number; mean: number; max: number; samples: number } } {
  const samples: number[] = [server.rssMb()];
  const timer = setInterval(() => samples.push(server.rssMb()), 250);
  return {
    stop() {
      clearInterval(timer);
      samples.push(server.rssMb());
      return {
        min: Math.min(...samples),
        mean: samples.reduce((sum, mb) => sum + mb, 0) / samples.length,
        max: Math.max(...samples),
        samples: samples.length,
      };
    },
  };
}

/** CPU of the server process over `seconds`, and the upstream calls the simulator saw meanwhile. */
async function measureWindow(server: ServerProcess, counts: { submit: number; result: number }, seconds: number): Promise<Window> {
  const before = { cpu: server.cpuSeconds(), at: performance.now(), polls: counts.result, submits: counts.submit };
  await sleep(seconds * 1000);
  const elapsed = (performance.now() - before.at) / 1000;
  return {
    seconds: elapsed,
    corePercent: ((server.cpuSeconds() - before.cpu) / elapsed) * 100,
    rssMb: server.rssMb(),
    polls: counts.result - before.polls,
    submits: counts.submit - before.submits,
  };
}

/** Heap used (MB) after the server's most recent collection, from its --trace-gc lines. */
function lastHeapMb(logFile: string): number | undefined {
  const matches = [
    ...readFileSync(logFile, "utf8").matchAll(/ms: (?:Scavenge|Mark-Compact|Mark-sweep)[^\d]*[\d.]+ \([\d.]+\) -> ([\d.]+) \(/g),
  ];
  const last = matches.at(-1)?.[1];
  return last === undefined ? undefined : Number(last);
}

async function unfinishedTasks(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from tasks where status in ${unfinishedSql}`.execute(db);
  return rows[0]?.n ?? 0;
}

const pct = (n: number) => `${n.toFixed(1)} %`;
const perSecond = (w: Window) => w.polls / w.seconds;

async function main(): Promise<void> {
  const workDir = await mkdtemp(path.join(tmpdir(), "ocean1-bench-held-"));
  await chmod(workDir, 0o755);
  let adminUrl = env.BENCH_ADMIN_URL;
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
  const databaseUrl = url.toString();
  const db = createDatabase({ url: databaseUrl, poolSize: 2 });
  await migrateToLatest(db);
  const secret = randomBytes(32).toString("hex");
  const users = await seedHeldUsers(db, secret, pollPhase ? 2 * held : held);
  const pollingUsers = pollPhase ? users.slice(held) : [];
  const heldUsers = users.slice(0, held);

  const simulator = await startSimulator({ taskMs: taskSeconds * 1000 });
  const counts = simulator.state.counts;
  const port = await freePort();
  const serverEnv = {
    ...benchServerEnv({ databaseUrl, secret, port, dataDir: path.join(workDir, "data") }),
    SORA_WAIT_SECONDS: "590",
    GRSAI_BASE_URL: simulator.url,
    GRSAI_API_KEY: "bench-key-for-the-simulator",
    OCEAN1_SIMULATOR: "0",
  };
  const args = [
    "--trace-gc",
    ...(env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(env.BENCH_PROFILE)}`] : []),
    env.BENCH_SERVER_MAIN ?? path.join(dist, "main.js"),
  ];
  const logFile = path.join(workDir, "server.log");
  const server = await startServer(args, `http://127.0.0.1:${port}/healthz`, logFile, serverEnv);
  const baseUrl = server.url;
  const load = () =>
    loadavg()
      .map((n) => n.toFixed(2))
      .join(" ");
  console.log(
    `ocean1 held-request bench ${new Date().toISOString()}: built server (dist/main.js, production, LOG_LEVEL=info to a file) in its own process; ` +
      `simulator and ${held} clients in the bench process; tasks of ${taskSeconds} s, windows of ${windowSeconds} s; load average ${load()}`,
  );

  for (let i = 0; i < 20; i++) await fetch(`${baseUrl}/healthz`).then((res) => res.text());
  await sleep(2_000);
  const idleRss = sampleRss(server);
  const idle = await measureWindow(server, counts, Math.min(10, windowSeconds));
  const baseRss = idleRss.stop().mean;
  const baseHeap = lastHeapMb(logFile);
  console.log(`idle (no task): server ${pct(idle.corePercent)} of a core, RSS ${baseRss.toFixed(1)} MB (mean over the window)`);

  const taskStarted = Date.now();
  const holdingRss = sampleRss(server);
  const fired = fireSora(baseUrl, heldUsers, { hangUp: false });
  const allHeldMs = await fired.allHeld;
  await sleep(3_000);
  const holding = await measureWindow(server, counts, windowSeconds);
  const windowEndedAfter = (Date.now() - taskStarted) / 1000;
  const heapHolding = lastHeapMb(logFile);
  console.log(
    `holding ${held}: server ${pct(holding.corePercent)} of a core over ${holding.seconds.toFixed(1)} s, ${perSecond(holding).toFixed(1)} upstream polls/s, ` +
      `${holding.submits} submits in the window`,
  );
  const answers = await fired.done;
  const rss = holdingRss.stop();
  while ((await unfinishedTasks(db)) > 0) await sleep(1_000);

  let polling: Window | undefined;
  if (pollPhase) {
    // The same 1,000 tasks, nobody holding them: each client hangs up once its answer has started.
    const fired = fireSora(baseUrl, pollingUsers, { hangUp: true });
    await fired.allHeld;
    await sleep(3_000);
    polling = await measureWindow(server, counts, windowSeconds);
    const hungUp = await fired.done;
    console.log(
      `polling only (${hungUp.started} tasks running, not held): server ${pct(polling.corePercent)} of a core, ` +
        `${perSecond(polling).toFixed(1)} upstream polls/s, RSS ${polling.rssMb.toFixed(1)} MB`,
    );
    while ((await unfinishedTasks(db)) > 0) await sleep(1_000);
  }

  const { rows } = await sql<{ tasks: number; calls: number; completed: number }>`
    select count(*)::int as tasks, sum(upstream_calls)::int as calls, count(*) filter (where status = 'completed')::int as completed from tasks`.execute(
    db,
  );
  const stats = rows[0] ?? { tasks: 0, calls: 0, completed: 0 };
  const pollUs = polling && polling.polls > 0 ? ((polling.corePercent - idle.corePercent) / 100 / perSecond(polling)) * 1e6 : undefined;
  const pollingShare = pollUs === undefined ? undefined : (perSecond(holding) * pollUs) / 1e4;

  console.log(
    `all ${held} answers started (headers sent) after ${allHeldMs} ms; window ended ${windowEndedAfter.toFixed(0)} s after the first request`,
  );
  if (pollUs !== undefined && pollingShare !== undefined)
    console.log(
      `  of which upstream polling ≈ ${pct(pollingShare)} (${perSecond(holding).toFixed(1)} polls/s × ${pollUs.toFixed(0)} µs per poll from the polling-only window less idle); ` +
        `holding itself (watcher, keep-alives) ≈ ${pct(holding.corePercent - idle.corePercent - pollingShare)}; idle background ${pct(idle.corePercent)}`,
    );
  console.log(
    `server RSS: ${baseRss.toFixed(1)} MB idle; from the first request to the last answer (${rss.samples} readings) ` +
      `peak ${rss.max.toFixed(1)} MB → +${(rss.max - baseRss).toFixed(1)} MB, mean ${rss.mean.toFixed(1)} MB → +${(rss.mean - baseRss).toFixed(1)} MB`,
  );
  if (baseHeap !== undefined && heapHolding !== undefined)
    console.log(
      `server heap used after the most recent collection (--trace-gc): ${baseHeap.toFixed(1)} MB idle, ${heapHolding.toFixed(1)} MB while holding → +${(heapHolding - baseHeap).toFixed(1)} MB`,
    );
  console.log(
    `answers: ${answers.completed}/${held} completed, ${answers.withWhitespace} began with keep-alive whitespace, last after ${(answers.ms / 1000).toFixed(1)} s`,
  );
  console.log(
    `upstream calls: ${counts.submit} submits + ${counts.result} result polls for ${stats.tasks} tasks = ${((counts.submit + counts.result) / Math.max(1, stats.tasks)).toFixed(2)} per task ` +
      `(recorded on the tasks: ${(stats.calls / Math.max(1, stats.tasks)).toFixed(2)}; ${stats.completed}/${stats.tasks} completed); load average ${load()}`,
  );
  if (windowEndedAfter > taskSeconds)
    console.log(`(warning: the window ended after the tasks' ${taskSeconds} s: raise BENCH_TASK_SECONDS)`);
  // For pnpm bench, which runs this script as a child process and reads its figures.
  const summary = {
    held,
    completed: answers.completed,
    tasks: stats.tasks,
    tasksCompleted: stats.completed,
    /** The peak over the whole hold, above the idle mean. */
    rssAddedMb: rss.max - baseRss,
    rssMeanAddedMb: rss.mean - baseRss,
    heapAddedMb: baseHeap !== undefined && heapHolding !== undefined ? heapHolding - baseHeap : undefined,
    holdingCorePercent: holding.corePercent,
    idleCorePercent: idle.corePercent,
    pollingOnlyCorePercent: polling?.corePercent,
    pollingSharePercent: pollingShare,
    pollsPerSecond: perSecond(holding),
  };
  console.log(`HELD_SUMMARY ${JSON.stringify(summary)}`);

  await server.stop();
  await simulator.close();
  await db.destroy();
  await adminQuery(adminUrl, `drop database ${dbName} with (force)`);
  await stopCluster();
  if (env.BENCH_KEEP_LOG) console.log(`server log kept in ${logFile}`);
  else await rm(workDir, { recursive: true, force: true });
  const complete = answers.completed === held && stats.completed === stats.tasks;
  if (!complete)
    console.error(`held requests did not all complete (${answers.completed}/${held}; tasks ${stats.completed}/${stats.tasks})`);
  process.exit(complete ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
