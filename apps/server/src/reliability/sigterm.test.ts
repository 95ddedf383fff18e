import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../lib/clock.js";
import type { AppDeps } from "../deps.js";
import { startSimulator, type RunningSimulator } from "../simulator/app.js";
import { createTestDatabase, type TestDatabase } from "../test/database.js";
import { createTestUser } from "../test/fixtures.js";
import { grsaiKey, soraRequest } from "../test/generation.js";
import { assertBuilt, postJson, runCli, startServerProcess, type ServerProcess } from "../test/server-process.js";

const secret = "reliability-secret-reliability-secret-02";

let workDir: string;
let database: TestDatabase;
let simulator: RunningSimulator;
let env: Record<string, string>;
beforeAll(async () => {
  assertBuilt();
  workDir = await mkdtemp(path.join(tmpdir(), "ocean1-sigterm-"));
  database = await createTestDatabase();
  // Upstream tasks run a minute (they are still running whatever the machine's load when the server stops), until
  // the test lets them finish by `finishUpstream()`.
  simulator = await startSimulator({ taskMs: 60_000 });
  env = {
    DATABASE_URL: database.url,
    OCEAN1_SECRET: secret,
    OCEAN1_DATA_DIR: path.join(workDir, "data"),
    GRSAI_BASE_URL: simulator.url,
    GRSAI_API_KEY: grsaiKey,
  };
});
/** The upstream finishes every task it runs now. */
function finishUpstream(): void {
  for (const task of simulator.state.tasks.values()) task.durationMs = 0;
}

afterAll(async () => {
  await simulator?.close();
  await database?.drop();
  await rm(workDir, { recursive: true, force: true });
});

describe("SIGTERM of the built server with held requests and tasks in flight", () => {
  it("answers every held request with its running task, exits 0 holding no lease, and the tasks finish after a restart", async () => {
    const deps = { db: database.db, clock: systemClock, secret } as unknown as AppDeps;
    const user = await createTestUser(deps, { points: 1_000 });
    let server: ServerProcess = await startServerProcess(env, workDir);
    const held = Array.from({ length: 5 }, (_, i) =>
      postJson(`${server.url}/api/proxy/sora`, { ...soraRequest, prompt: `${soraRequest.prompt} ${i}` }, user.headers),
    );
    await expect
      .poll(
        async () =>
          (await sql<{ n: number }>`select count(*)::int as n from tasks where upstream_id is not null`.execute(database.db)).rows[0]?.n,
        { timeout: 10_000, interval: 50 },
      )
      .toBe(5);
    const stoppingAt = Date.now();
    server.child.kill("SIGTERM");
    const answers = await Promise.all(held);
    const answeredMs = Date.now() - stoppingAt;
    for (const answer of answers) {
      expect(answer).toMatchObject({ status: 200, body: { status: "success", data: { status: "processing" } } });
    }
    expect(await server.exited).toBe(0);
    const stoppedMs = Date.now() - stoppingAt;
    expect(server.stderr()).not.toMatch(/Error|unhandled/i);
    // Handed back: nothing unfinished stays leased to the stopped instance.
    const tasks = await database.db.selectFrom("tasks").select(["public_id", "status", "lease_until"]).execute();
    expect(tasks.map((task) => task.status)).toEqual(Array(5).fill("processing"));
    expect(tasks.filter((task) => task.lease_until !== null && task.lease_until > new Date())).toEqual([]);
    expect(new Set(answers.map((answer) => answer.body.data.id))).toEqual(new Set(tasks.map((task) => task.public_id)));

    finishUpstream();
    server = await startServerProcess(env, workDir);
    try {
      for (const task of tasks) {
        await expect
          .poll(
            async () => (await postJson(`${server.url}/api/proxy/v1/draw/result`, { id: task.public_id }, user.headers)).body.data?.status,
            { timeout: 15_000, interval: 200 },
          )
          .toBe("completed");
      }
      const check = await runCli(["ledger", "check"], env, workDir);
      expect(check.code, check.stdout + check.stderr).toBe(0);
      console.log(`sigterm: 5 held requests answered ${answeredMs} ms after SIGTERM, process exited after ${stoppedMs} ms`);
    } finally {
      server.child.kill("SIGKILL");
      await server.exited;
    }
  }, 60_000);
});
