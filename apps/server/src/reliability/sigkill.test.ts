import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { systemClock } from "../lib/clock.js";
import type { AppDeps } from "../deps.js";
import { useBuiltServerFixture } from "../test/built-server-fixture.js";
import { createTestUser, pointsOf } from "../test/fixtures.js";
import { bananaRequest, soraRequest } from "../test/generation.js";
import { postJson, runCli, startServerProcess, type ServerProcess } from "../test/server-process.js";

const secret = "reliability-secret-reliability-secret-01";

const fx = useBuiltServerFixture("sigkill", secret);

const unfinished = async () =>
  (await sql<{ n: number }>`select count(*)::int as n from tasks where status in ('pending', 'processing')`.execute(fx.database.db)).rows[0]
    ?.n;

describe("the built server killed with SIGKILL during generation", () => {
  it("finishes or refunds every task after a restart, and `ledger check` passes", async () => {
    const deps = { db: fx.database.db, clock: systemClock, secret } as unknown as AppDeps;
    const user = await createTestUser(deps, { points: 10_000 });
    let server: ServerProcess = await startServerProcess(fx.env, fx.workDir);
    const held: Promise<unknown>[] = [];
    for (let i = 0; i < 6; i++) {
      held.push(
        postJson(`${server.url}/api/proxy/sora`, { ...soraRequest, prompt: `${soraRequest.prompt} ${i}` }, user.headers).catch(() => "cut"),
      );
      held.push(
        postJson(`${server.url}/api/proxy/banana`, { ...bananaRequest, prompt: `${bananaRequest.prompt} ${i}` }, user.headers).catch(
          () => "cut",
        ),
      );
    }
    // Two whose submit never answers: killed before they had an upstream id.
    for (let i = 0; i < 2; i++)
      held.push(postJson(`${server.url}/api/proxy/sora`, { ...soraRequest, prompt: `[hang] ${i}` }, user.headers).catch(() => "cut"));
    await expect
      .poll(async () => (await sql<{ n: number }>`select count(*)::int as n from tasks`.execute(fx.database.db)).rows[0]?.n, {
        timeout: 10_000,
        interval: 50,
      })
      .toBe(14);
    // Killed once every other task is charged and submitted, while they still run upstream.
    await expect
      .poll(
        async () =>
          (await sql<{ n: number }>`select count(*)::int as n from tasks where upstream_id is not null`.execute(fx.database.db)).rows[0]?.n,
        { timeout: 10_000, interval: 50 },
      )
      .toBe(12);
    server.child.kill("SIGKILL");
    expect(await server.exited).toBeNull();
    // Every held request was cut with the process: no answer reached the client.
    expect(await Promise.all(held)).toEqual(Array(14).fill("cut"));
    expect(await unfinished()).toBe(14);
    const charged = 10_000 - (await pointsOf(deps, user.id));
    expect(charged).toBeGreaterThan(0);

    fx.finishUpstream();
    const restartedAt = Date.now();
    server = await startServerProcess(fx.env, fx.workDir);
    try {
      // The dead instance's leases (30 s in production; 120 s, the submit grace, for a task that never got its
      // upstream id) are let lapse now instead of waited for: the built server's timings are not configurable.
      await sql`update tasks set lease_until = now() - interval '1 second', next_poll_at = least(next_poll_at, now()) where status in ('pending', 'processing')`.execute(
        fx.database.db,
      );
      await expect.poll(unfinished, { timeout: 15_000, interval: 100 }).toBe(0);
      const recoveredMs = Date.now() - restartedAt;
      const tasks = await fx.database.db.selectFrom("tasks").select(["public_id", "status", "request", "cost"]).execute();
      const submitted = tasks.filter((task) => !JSON.stringify(task.request).includes("[hang]"));
      const cutOff = tasks.filter((task) => JSON.stringify(task.request).includes("[hang]"));
      expect(submitted.map((task) => task.status)).toEqual(Array(12).fill("completed"));
      expect(cutOff.map((task) => task.status)).toEqual(["failed", "failed"]);
      // Each task was charged once; exactly the cut-off ones were refunded, once each.
      const ledger = await fx.database.db.selectFrom("ledger").select(["type", "ref", "amount"]).where("user_id", "=", user.id).execute();
      for (const task of tasks) {
        expect(ledger.filter((row) => row.ref === `task:${task.public_id}` && row.type === "consume")).toHaveLength(1);
        expect(ledger.filter((row) => row.ref === `task:${task.public_id}` && row.type === "refund")).toHaveLength(
          task.status === "failed" ? 1 : 0,
        );
      }
      expect(await pointsOf(deps, user.id)).toBe(10_000 - submitted.reduce((sum, task) => sum + task.cost, 0));
      const check = await runCli(["ledger", "check"], fx.env, fx.workDir);
      expect(check.code, check.stdout + check.stderr).toBe(0);
      console.log(`sigkill: 14 tasks (12 completed, 2 refunded) final ${recoveredMs} ms after the restart began`);
    } finally {
      server.child.kill("SIGKILL");
      await server.exited;
    }
  }, 60_000);

  it("loses no task when one of two instances is killed: the other finishes them", async () => {
    const deps = { db: fx.database.db, clock: systemClock, secret } as unknown as AppDeps;
    const user = await createTestUser(deps, { points: 10_000 });
    const mine = async (statuses: string[]) =>
      (
        await sql<{
          n: number;
        }>`select count(*)::int as n from tasks where user_id = ${user.id} and status = any(${statuses}::text[])`.execute(fx.database.db)
      ).rows[0]?.n;
    const [first, second] = await Promise.all([startServerProcess(fx.env, fx.workDir), startServerProcess(fx.env, fx.workDir)]);
    try {
      const held = Array.from({ length: 8 }, (_, i) =>
        postJson(`${first.url}/api/proxy/sora`, { ...soraRequest, prompt: `two ${i}` }, user.headers).catch(() => "cut"),
      );
      await expect
        .poll(
          async () =>
            (
              await sql<{ n: number }>`select count(*)::int as n from tasks where user_id = ${user.id} and upstream_id is not null`.execute(
                fx.database.db,
              )
            ).rows[0]?.n,
          { timeout: 10_000, interval: 50 },
        )
        .toBe(8);
      first.child.kill("SIGKILL");
      await first.exited;
      expect(await Promise.all(held)).toEqual(Array(8).fill("cut"));
      fx.finishUpstream();
      const killedAt = Date.now();
      // The killed instance's leases lapse now instead of after 30 s.
      await sql`update tasks set lease_until = now() - interval '1 second' where user_id = ${user.id} and status in ('pending', 'processing')`.execute(
        fx.database.db,
      );
      await expect.poll(() => mine(["pending", "processing"]), { timeout: 15_000, interval: 100 }).toBe(0);
      expect(await mine(["completed"])).toBe(8);
      const check = await runCli(["ledger", "check"], fx.env, fx.workDir);
      expect(check.code, check.stdout + check.stderr).toBe(0);
      console.log(`sigkill of one of two instances: 8 tasks finished by the other ${Date.now() - killedAt} ms after the kill`);
    } finally {
      for (const server of [first, second]) server.child.kill("SIGKILL");
      await Promise.all([first.exited, second.exited]);
    }
  }, 60_000);
});
