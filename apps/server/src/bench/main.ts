import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createDatabase } from "../db/database.js";
import { freePort } from "../db/embedded.js";
import { migrateToLatest } from "../db/migrate.js";
import { hashPassword, verifyPassword } from "../lib/passwords.js";
import { checkLedger } from "../modules/points/ledger-check.js";
import { runLoad, type LoadResult, type LoadSpec } from "./load-spec.js";
import { postmasterPid, treeCpuSeconds } from "./cpu.js";
import { adminQuery, benchServerEnv, startServer, type ServerProcess } from "./processes.js";
import { errorsOf, table, type Row } from "./report.js";
import { benchPassword, benchUser, seedCards, seedUsers } from "./seed.js";

/**
 * `pnpm bench`: the built server (`dist/main.js`) in its own process on a throwaway embedded
 * PostgreSQL, loaded by autocannon from another process, beside reference servers measured in the
 * same run (bare node:http, express, a trivial procedure): figures are read as ratios to bare.
 * Knobs: BENCH_SECONDS (per scenario), BENCH_CONNECTIONS, BENCH_USERS, BENCH_PROFILE=<dir> (--cpu-prof of the server into dir).
 */
// A benchmark tool's own knobs, not the server's configuration (which config.ts reads).
const env = process.env;
const seconds = Number(env.BENCH_SECONDS ?? 6);
const connections = Number(env.BENCH_CONNECTIONS ?? 64);
const users = Number(env.BENCH_USERS ?? 2000);
const cards = 1000;
/** BENCH_ONLY=heartbeat,history: only scenarios whose name contains one of these (bare always runs). */
const only = env.BENCH_ONLY?.split(",").map((word) => word.trim().toLowerCase());
const wanted = (name: string) => !only || name.startsWith("bare") || only.some((word) => name.toLowerCase().includes(word));
/** BENCH_SERVER_MAIN: another build of the server to measure (e.g. the previous commit's, for before/after). */
const serverMain = env.BENCH_SERVER_MAIN;
const dist = path.dirname(fileURLToPath(new URL("../main.js", import.meta.url)));

async function argon2VerifyMs(): Promise<number> {
  const hash = await hashPassword(benchPassword);
  await verifyPassword(hash, benchPassword);
  const started = performance.now();
  for (let i = 0; i < 10; i++) await verifyPassword(hash, benchPassword);
  return (performance.now() - started) / 10;
}

interface HeldSummary {
  held: number;
  completed: number;
  /** Peak RSS over the hold, above the idle mean. */
  rssAddedMb: number;
  rssMeanAddedMb: number;
  heapAddedMb?: number;
  holdingCorePercent: number;
  idleCorePercent: number;
  pollingSharePercent?: number;
  pollsPerSecond: number;
}

/** `bench/held.js` (the built server holding 1,000 sora requests against the simulator), in its own process. */
async function runHeld(adminUrl: string): Promise<HeldSummary> {
  const child = spawn(process.execPath, [path.join(dist, "bench/held.js")], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...env, BENCH_ADMIN_URL: adminUrl },
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  for (const line of out.split("\n")) if (line && !line.startsWith("HELD_SUMMARY")) console.log(`  held: ${line}`);
  const summary = out.split("\n").find((line) => line.startsWith("HELD_SUMMARY "));
  if (code !== 0 || !summary) throw new Error(`bench/held.js exited with ${code}`);
  return JSON.parse(summary.slice("HELD_SUMMARY ".length)) as HeldSummary;
}

async function main(): Promise<void> {
  const started = Date.now();
  const workDir = await mkdtemp(path.join(tmpdir(), "ocean1-bench-"));
  await chmod(workDir, 0o755);
  const { startEmbeddedPostgres } = await import("../db/embedded.js");
  const cluster = await startEmbeddedPostgres({ directory: path.join(workDir, "pg"), persistent: false });
  const dbName = `ocean1_bench_${randomBytes(4).toString("hex")}`;
  await adminQuery(cluster.adminUrl, `create database ${dbName}`);
  const databaseUrl = cluster.urlFor(dbName);
  const db = createDatabase({ url: databaseUrl, poolSize: 4 });
  await migrateToLatest(db);
  const secret = randomBytes(32).toString("hex");
  await seedUsers(db, secret, users);
  const cardKeys = await seedCards(db, secret, cards);
  const hashMs = await argon2VerifyMs();

  console.log(`ocean1 bench ${new Date().toISOString()}: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, node ${process.version}`);
  console.log(
    `load average at start ${loadavg()
      .map((n) => n.toFixed(2))
      .join(" ")}; ${connections} keep-alive connections, ${seconds} s per scenario`,
  );
  console.log(`autocannon in a separate process; every server in its own process; ${users} users with sessions\n`);

  const rows: Row[] = [];
  const pgPid = postmasterPid(path.join(workDir, "pg", "pgdata"));
  let current: ServerProcess | undefined;
  const measure = async (name: string, spec: Omit<LoadSpec, "connections" | "seconds"> & Partial<LoadSpec>, expected: string[]) => {
    if (!wanted(name)) return undefined;
    const cpuBefore = [current?.cpuSeconds() ?? 0, treeCpuSeconds(pgPid)];
    const result: LoadResult = await runLoad({ connections, seconds, ...spec });
    const perRequest = (s: number) => (s * 1e6) / Math.max(1, result.requests);
    const serverCpuUs = current ? perRequest(current.cpuSeconds() - (cpuBefore[0] ?? 0)) : undefined;
    const databaseCpuUs = perRequest(treeCpuSeconds(pgPid) - (cpuBefore[1] ?? 0));
    rows.push({ name, result, expected, serverCpuUs, databaseCpuUs });
    console.log(`  ${name}: ${result.perSecond.toFixed(0)} req/s, p99 ${result.p99} ms, errors ${errorsOf(rows[rows.length - 1] as Row)}`);
    return result;
  };
  const warm = (spec: Omit<LoadSpec, "connections" | "seconds">) => runLoad({ connections, seconds: 2, ...spec });
  const json = { "content-type": "application/json" };

  const floors = [
    { kind: "bare", name: "bare node:http, constant JSON", path: "/api/floor" },
    { kind: "express", name: "express 5 + express.json(), constant JSON", path: "/api/floor" },
    { kind: "trivial-adapter", name: "trivial procedure, trpc-to-openapi adapter", path: "/api/bench/ping" },
    { kind: "trivial-rest", name: "trivial procedure, our REST path", path: "/api/bench/ping" },
  ];
  for (const floor of floors.filter((f) => wanted(f.name))) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = await startServer(
      [path.join(dist, "bench/floors.js"), floor.kind, String(port)],
      url,
      path.join(workDir, `${floor.kind}.log`),
    );
    current = server;
    const spec = { url, method: "POST" as const, path: floor.path, headers: json, body: JSON.stringify({ email: "a@example.com" }) };
    await warm(spec);
    await measure(floor.name, spec, ["200 ok"]);
    await server.stop();
  }

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const serverEnv = benchServerEnv({ databaseUrl, secret, port, dataDir: path.join(workDir, "data") });
  const args = [
    ...(env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(env.BENCH_PROFILE)}`] : []),
    serverMain ?? path.join(dist, "main.js"),
  ];
  const server: ServerProcess = await startServer(args, `${url}/healthz`, path.join(workDir, "server.log"), serverEnv);
  current = server;
  const authHeaders = { ...json, "x-user-email": benchUser.email("{i}"), "x-device-id": benchUser.device("{i}") };
  const heartbeat = {
    url,
    method: "POST" as const,
    path: "/api/user/heartbeat",
    headers: authHeaders,
    body: `{"email":"${benchUser.email("{i}")}"}`,
    users,
  };
  if (wanted("heartbeat")) await warm(heartbeat);
  await measure("Ocean1 heartbeat (session read)", heartbeat, ["200 ok"]);
  // The same operation as @ocean1/client calls it: tRPC over express, its middleware chain included.
  const trpcHeartbeat = { ...heartbeat, path: "/trpc/heartbeat" };
  if (wanted("Ocean1 heartbeat over /trpc")) await warm(trpcHeartbeat);
  await measure("Ocean1 heartbeat over /trpc", trpcHeartbeat, ["200 ok"]);
  const history = { url, method: "GET" as const, path: "/api/user/history?limit=20", headers: authHeaders, users };
  if (wanted("history")) await warm(history);
  await measure("Ocean1 history (20 rows)", history, ["200 success"]);
  const loginBody = `{"email":"${benchUser.email("{i}")}","password":"${benchPassword}","device_id":"${benchUser.device("{i}")}"}`;
  await measure(
    "Ocean1 login (argon2 verify)",
    { url, method: "POST", path: "/api/auth/login", headers: json, body: loginBody, users, connections: 8 },
    ["200 success"],
  );
  // Each card is sent by two users at once: one wins, the other is told CARD_USED.
  const redeemBody = `{"email":"${benchUser.email("{i}")}","card_key":"{k}"}`;
  const redeem = await measure(
    "Ocean1 redeem, 2 users per card",
    {
      url,
      method: "POST",
      path: "/api/pay/redeem",
      headers: authHeaders,
      body: redeemBody,
      users,
      keys: cardKeys,
      keysRepeat: 2,
      amount: cards * 2,
      seconds: 60,
    },
    ["200 success", "200 failed:CARD_USED"],
  );
  await server.stop();
  const held = wanted("held") ? await runHeld(cluster.adminUrl) : undefined;

  const bare = rows[0]?.result;
  console.log(`\n${table(rows, bare)}\n`);
  const find = (prefix: string) => rows.find((row) => row.name.startsWith(prefix))?.result;
  const heartbeatResult = find("Ocean1 heartbeat");
  if (bare && heartbeatResult) {
    console.log(
      `heartbeat ${(heartbeatResult.perSecond / bare.perSecond).toFixed(2)} × bare (target ≥ 0.30), p99 ${(heartbeatResult.p99 / Math.max(1, bare.p99)).toFixed(1)} × bare's (target ≤ 4)`,
    );
  }
  const historyResult = find("Ocean1 history");
  if (bare && historyResult) console.log(`history ${(historyResult.perSecond / bare.perSecond).toFixed(2)} × bare (target ≥ 0.20)`);
  console.log(
    `argon2id verify: ${hashMs.toFixed(1)} ms each (one core): login is bounded near ${((cpus().length * 1000) / hashMs).toFixed(0)}/s on ${cpus().length} cores`,
  );
  const wins = redeem ? (redeem.outcomes["200 success"] ?? 0) : cards;
  const ledger = await checkLedger(db);
  console.log(
    `redeem: ${wins} of ${cards} cards credited (each exactly once: ${wins === cards}); ledger check ${ledger.ok ? "ok" : "FAILED"}`,
  );
  if (held) {
    const ok = held.rssAddedMb < 150 && held.holdingCorePercent < 10 && held.completed === held.held;
    console.log(
      `${held.held} held sora requests: server RSS peak +${held.rssAddedMb.toFixed(1)} MB (target < 150 MB; mean +${held.rssMeanAddedMb.toFixed(1)} MB; heap +${held.heapAddedMb?.toFixed(1) ?? "?"} MB), ` +
        `server process ${held.holdingCorePercent.toFixed(1)} % of a core while holding (target < 10 %; upstream polling ≈ ${held.pollingSharePercent?.toFixed(1) ?? "?"} % ` +
        `at ${held.pollsPerSecond.toFixed(0)} polls/s, idle ${held.idleCorePercent.toFixed(1)} %), ${held.completed}/${held.held} completed${ok ? "" : "  ← MISSED"}`,
    );
  }
  console.log(
    `load average at end ${loadavg()
      .map((n) => n.toFixed(2))
      .join(" ")}; bench took ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );

  await db.destroy();
  await cluster.stop();
  await rm(workDir, { recursive: true, force: true });
  const heldMissed = held !== undefined && held.completed !== held.held;
  const failed = rows.some((row) => errorsOf(row) > 0) || wins !== cards || !ledger.ok || heldMissed;
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
