import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackgroundWork } from "../../background.js";
import { backgroundJobs } from "../../background-jobs.js";
import { startTestApp, type TestApp } from "../../test/app.js";
import { createTestUser, pointsOf } from "../../test/fixtures.js";
import { checkLedger } from "../points/ledger-check.js";
import { abandonedChatGraceSeconds, chargeChat, finishChat, refundChat, sweepChatCalls } from "./charges.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

/** As if the call had been charged `seconds` ago by the database's clock. */
function age(callId: string, seconds: number) {
  return sql`update chat_calls set created_at = now() - make_interval(secs => ${seconds}) where id = ${callId}`.execute(app.deps.db);
}

async function statusOf(callId: string) {
  return (await app.deps.db.selectFrom("chat_calls").select("status").where("id", "=", callId).executeTakeFirst())?.status;
}

async function refundsOf(callId: string) {
  return app.deps.db
    .selectFrom("ledger")
    .select(["amount", "description"])
    .where("ref", "=", `chat:${callId}`)
    .where("type", "=", "refund")
    .execute();
}

describe("cat chat charges that outlive their request", () => {
  it("refunds a call abandoned past the grace period once, even when two sweeps race", async () => {
    const user = await createTestUser(app.deps, { points: 10 });
    const callId = await chargeChat(app.deps.db, user.id, 4);
    expect(await pointsOf(app.deps, user.id)).toBe(6);
    await age(callId, abandonedChatGraceSeconds + 1);
    const work = createBackgroundWork(backgroundJobs(app.deps), app.deps.logger);
    const results = await Promise.all([work.runOnce("chat-refunds"), sweepChatCalls(app.deps.db, app.deps.logger)]);
    expect(results.map((r) => (r as { refunded: number }).refunded).sort()).toEqual([0, 1]);
    expect(await refundsOf(callId)).toEqual([{ amount: 4, description: "对话失败退款" }]);
    expect(await pointsOf(app.deps, user.id)).toBe(10);
    expect(await statusOf(callId)).toBe("refunded");
    expect(await sweepChatCalls(app.deps.db, app.deps.logger)).toMatchObject({ refunded: 0 });
    expect(await refundsOf(callId)).toHaveLength(1);
  });

  it("leaves a call still inside the grace period alone (its request may still be waiting for the cat)", async () => {
    const user = await createTestUser(app.deps, { points: 10 });
    const callId = await chargeChat(app.deps.db, user.id, 4);
    await age(callId, abandonedChatGraceSeconds - 30);
    await sweepChatCalls(app.deps.db, app.deps.logger);
    expect(await statusOf(callId)).toBe("pending");
    expect(await pointsOf(app.deps, user.id)).toBe(6);
  });

  it("never refunds an answered call, and never refunds one call twice", async () => {
    const user = await createTestUser(app.deps, { points: 10 });
    const answered = await chargeChat(app.deps.db, user.id, 2);
    expect(await finishChat(app.deps.db, answered)).toBe(true);
    expect(await refundChat(app.deps.db, answered)).toBe(false);
    const failed = await chargeChat(app.deps.db, user.id, 3);
    const attempts = await Promise.all([refundChat(app.deps.db, failed), refundChat(app.deps.db, failed), refundChat(app.deps.db, failed)]);
    expect(attempts.filter(Boolean)).toHaveLength(1);
    expect(await finishChat(app.deps.db, failed)).toBe(false);
    expect(await pointsOf(app.deps, user.id)).toBe(8);
    expect(await refundsOf(answered)).toEqual([]);
  });

  it("forgets finished calls after a week, keeping their ledger rows", async () => {
    const user = await createTestUser(app.deps, { points: 10 });
    const callId = await chargeChat(app.deps.db, user.id, 1);
    await finishChat(app.deps.db, callId);
    await sql`update chat_calls set finished_at = now() - interval '8 days' where id = ${callId}`.execute(app.deps.db);
    expect((await sweepChatCalls(app.deps.db, app.deps.logger)).deleted).toBeGreaterThanOrEqual(1);
    expect(await statusOf(callId)).toBeUndefined();
    const consumed = await app.deps.db.selectFrom("ledger").select("amount").where("ref", "=", `chat:${callId}`).execute();
    expect(consumed).toEqual([{ amount: -1 }]);
  });

  it("keeps the ledger consistent", async () => {
    expect(await checkLedger(app.deps.db)).toMatchObject({ ok: true, offenders: [] });
  });
});
