import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { systemClock } from "../lib/clock.js";
import type { AppDeps } from "../deps.js";
import { useBuiltServerFixture } from "../test/built-server-fixture.js";
import { createTestUser } from "../test/fixtures.js";
import { soraRequest } from "../test/generation.js";
import { postJson, runCli, startServerProcess, type ServerProcess } from "../test/server-process.js";

const secret = "reliability-secret-reliability-secret-02";

const fx = useBuiltServerFixture("sigterm", secret);

describe("SIGTERM of the built server with held requests and tasks in flight", () => {
  it("answers every held request with its running task, exits 0 holding no lease, and the tasks finish after a restart", async () => {
    const deps = { db: fx.database.db, clock: systemClock, secret } as unknown as AppDeps;
    const user = await createTestUser(deps, { points: 1_000 });
    let server: ServerProcess = await startServerProcess(fx.env, fx.workDir);
    const held = Array.from({ length: 5 }, (_, i) =>
      postJson(`${server.url}/api/proxy/sora`, { ...soraRequest, prompt: `${soraRequest.prompt} ${i}` }, user.headers),
    );
    await expect
      .poll(
        async () =>
          (await sql<{ n: number }>`select count(*)::int as n from tasks where upstream_id is not null`.execute(fx.database.db)).rows[0]?.n,
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
    const tasks = await fx.database.db.selectFrom("tasks").select(["public_id", "status", "lease_until"]).execute();
    expect(tasks.map((task) => task.status)).toEqual(Array(5).fill("processing"));
    expect(tasks.filter((task) => task.lease_until !== null && task.lease_until > new Date())).toEqual([]);
    expect(new Set(answers.map((answer) => answer.body.data.id))).toEqual(new Set(tasks.map((task) => task.public_id)));

    fx.finishUpstream();
    server = await startServerProcess(fx.env, fx.workDir);
    try {
      for (const task of tasks) {
        await expect
          .poll(
            async () => (await postJson(`${server.url}/api/proxy/v1/draw/result`, { id: task.public_id }, user.headers)).body.data?.status,
            { timeout: 15_000, interval: 200 },
          )
          .toBe("completed");
      }
      const check = await runCli(["ledger", "check"], fx.env, fx.workDir);
      expect(check.code, check.stdout + check.stderr).toBe(0);
      console.log(`sigterm: 5 held requests answered ${answeredMs} ms after SIGTERM, process exited after ${stoppedMs} ms`);
    } finally {
      server.child.kill("SIGKILL");
      await server.exited;
    }
  }, 60_000);
});
