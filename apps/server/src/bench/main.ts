import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { createApp } from "../app.js";
import { loadConfig } from "../config.js";
import { createDatabase } from "../db/database.js";
import { migrateToLatest } from "../db/migrate.js";
import { systemClock } from "../lib/clock.js";
import { hashPassword } from "../lib/passwords.js";
import { createLogger } from "../logger.js";
import { createOutboxMailer } from "../mail/mailer.js";
import { findActiveSession, hashDeviceId } from "../modules/auth/sessions.js";
import { createGeneration } from "../modules/generation/generation.js";
import { describeLoad, runLoad, type LoadResult } from "./load.js";

/**
 * `pnpm bench`: the heartbeat hot path (DESIGN.md §4: 100,000 online users at one beat per 30 s are
 * 3,300 per second) measured over HTTP on loopback against a throwaway PostgreSQL, with ratios.
 * Knobs: BENCH_USERS, BENCH_SECONDS, BENCH_CONCURRENCY, BENCH_ADMIN_URL (an existing server to use).
 */
const users = Number(process.env.BENCH_USERS ?? 2000);
const seconds = Number(process.env.BENCH_SECONDS ?? 6);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const targetPerSecond = 100_000 / 30;

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(statement).finally(() => client.end());
}

async function main(): Promise<void> {
  const workDir = await mkdtemp(path.join(tmpdir(), "ocean1-bench-"));
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

  const config = loadConfig({ LOG_LEVEL: "silent", DAILY_REWARD_POINTS: "5" }, undefined);
  const logger = createLogger("silent");
  const secret = randomBytes(32).toString("hex");
  const core = { db, config, secret, logger, clock: systemClock, mailer: createOutboxMailer(path.join(workDir, "outbox"), logger), providers: {} };
  const deps = { ...core, generation: createGeneration(core) };

  const passwordHash = await hashPassword("bench password");
  for (let from = 0; from < users; from += 1000) {
    const batch = Array.from({ length: Math.min(1000, users - from) }, (_, k) => from + k);
    const inserted = await db
      .insertInto("users")
      .values(batch.map((i) => ({ email: `bench${i}@example.com`, nickname: `bench${i}`, password_hash: passwordHash })))
      .returning(["id", "email"])
      .execute();
    await db
      .insertInto("sessions")
      .values(inserted.map((u, k) => ({ user_id: u.id, device_hash: hashDeviceId(secret, `bench-device-${batch[k]}`) })))
      .execute();
  }

  const server: Server = createApp(deps).listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const heartbeat = async (i: number, device = `bench-device-${i}`) => {
    const email = `bench${i}@example.com`;
    const res = await fetch(`${base}/api/user/heartbeat`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "x-user-email": email, "x-device-id": device },
      body: JSON.stringify({ email }),
    });
    return (await res.json()) as { status: string; has_reward?: boolean };
  };

  const load = { concurrency, seconds, maxRequests: Number.MAX_SAFE_INTEGER };
  console.log(`ocean1 bench: ${users} users with sessions, ${concurrency} concurrent clients, ${seconds} s per scenario, loopback HTTP`);
  console.log("(client and server share this machine's cores: figures are a floor for one instance)\n");
  const results: Record<string, LoadResult> = {};
  const scenario = async (name: string, request: (worker: number, i: number) => Promise<boolean>, options = load) => {
    results[name] = await runLoad(request, options);
    console.log(describeLoad(name, results[name]));
  };

  await scenario("healthz (express floor)", async () => (await fetch(`${base}/healthz`)).ok);
  await scenario("session lookup (database only)", async (_w, i) => {
    const n = i % users;
    const found = await findActiveSession(db, `bench${n}@example.com`, `bench-device-${n}`, { secret, idleDays: 30, now: new Date() });
    return found !== null;
  });
  // Every user's first beat of the day, so that the steady scenario after it measures reads only.
  await scenario("heartbeat, reward due (writes)", async (_w, i) => (await heartbeat(i)).has_reward === true, {
    ...load,
    seconds: 120,
    maxRequests: users,
  });
  await scenario("heartbeat, steady (read only)", async (_w, i) => (await heartbeat(i % users)).status === "ok");
  await scenario("heartbeat, stale device (rejected)", async (_w, i) => (await heartbeat(i % users, "not-the-device")).status === "rejected");

  const steady = results["heartbeat, steady (read only)"];
  const floor = results["healthz (express floor)"];
  if (steady && floor) {
    console.log("");
    console.log(`steady heartbeat / express floor:        ${(steady.perSecond / floor.perSecond).toFixed(2)}`);
    console.log(`steady heartbeat / target (${targetPerSecond.toFixed(0)}/s):      ${(steady.perSecond / targetPerSecond).toFixed(2)}`);
    console.log(`instances for 100,000 online users:      ${Math.ceil(targetPerSecond / steady.perSecond)}`);
  }
  const rewards = await db
    .selectFrom("ledger")
    .where("type", "=", "reward")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  console.log(`reward rows written: ${rewards.n} for ${users} users (exactly one each)`);

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
