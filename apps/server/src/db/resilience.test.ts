import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../test/app.js";
import { createTestUser, type TestUser } from "../test/fixtures.js";
import { createDatabase } from "./database.js";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./embedded.js";
import { migrateToLatest } from "./migrate.js";

describe("a database that drops connections", () => {
  let app: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    app = await startTestApp();
    user = await createTestUser(app.deps);
  });
  afterAll(() => app.close());

  it("keeps the process alive when PostgreSQL terminates checked-out connections under load, and recovers", async () => {
    const heartbeat = () => app.post("/api/user/heartbeat", { email: user.email }, user.headers);
    const answers: ReturnType<typeof heartbeat>[] = [];
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 20; i++) answers.push(heartbeat());
      // The test's own admin connection would be terminated too: it runs on a separate client.
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`
        .execute(app.deps.db)
        .catch(() => undefined);
    }
    const settled = await Promise.all(answers);
    for (const answer of settled) {
      expect(answer.status).toBe(200);
      if (answer.body.status !== "ok") expect(answer.body).toMatchObject({ status: "failed", code: "INTERNAL" });
    }
    // Recovered by itself: every request after the storm succeeds.
    for (let i = 0; i < 5; i++) expect((await heartbeat()).body).toMatchObject({ status: "ok" });
    expect(await app.get("/readyz")).toEqual({ status: 200, body: { status: "ok" } });
  });
});

/** The postmaster and its children (backends, background workers) of a cluster of this test alone. */
function clusterPids(directory: string): number[] {
  const postmaster = Number(readFileSync(path.join(directory, "pgdata", "postmaster.pid"), "utf8").split("\n")[0]);
  const children = execFileSync("ps", ["-o", "pid=", "--ppid", String(postmaster)], { encoding: "utf8" })
    .split("\n")
    .map((line) => Number(line.trim()))
    .filter((pid) => pid > 0);
  return [postmaster, ...children];
}

function signal(pids: number[], name: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, name);
    } catch {
      // a backend that ended meanwhile
    }
  }
}

describe("a database that stalls", () => {
  let directory: string;
  let cluster: EmbeddedDatabase;
  let app: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    // A cluster of its own: stopping the run's shared cluster would stall every other test file.
    directory = await mkdtemp(path.join(tmpdir(), "ocean1-stall-"));
    await chmod(directory, 0o755);
    cluster = await startEmbeddedPostgres({ directory, persistent: false });
    await cluster.ensureDatabase("stall");
    const url = cluster.urlFor("stall");
    const db = createDatabase({ url, poolSize: 10 });
    await migrateToLatest(db);
    app = await startTestApp({}, { database: { db, url, drop: () => db.destroy() } });
    user = await createTestUser(app.deps);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await cluster?.stop();
    await rm(directory, { recursive: true, force: true });
  });

  it("answers a heartbeat with INTERNAL within 8 s and /readyz non-200 within 3 s, then recovers after SIGCONT", async () => {
    const heartbeat = () => app.post("/api/user/heartbeat", { email: user.email }, user.headers);
    expect((await heartbeat()).body).toMatchObject({ status: "ok" });
    const pids = clusterPids(directory);
    signal(pids, "SIGSTOP");
    try {
      const started = Date.now();
      const [beat, ready] = await Promise.all([
        heartbeat().then((answer) => ({ answer, ms: Date.now() - started })),
        app.get("/readyz").then((answer) => ({ answer, ms: Date.now() - started })),
      ]);
      expect(ready.answer.status).toBe(503);
      expect(ready.ms).toBeLessThan(3_000);
      expect(beat.answer).toEqual({ status: 200, body: { status: "failed", code: "INTERNAL", msg: expect.any(String) } });
      expect(beat.ms).toBeLessThan(8_000);
    } finally {
      signal(pids, "SIGCONT");
    }
    await expect.poll(async () => (await app.get("/readyz")).status, { timeout: 10_000, interval: 200 }).toBe(200);
    expect((await heartbeat()).body).toMatchObject({ status: "ok" });
  }, 30_000);
});
