import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createBackgroundWork, type BackgroundWork } from "../background.js";
import { backgroundJobs } from "../background-jobs.js";
import { createDatabase } from "../db/database.js";
import { checkLedger } from "../modules/points/ledger-check.js";
import { redeemFailureLimits } from "../modules/cards/redeem.js";
import { accountTestEnv, freshIp, heartbeat, logIn, logInOnNewDevice, newDeviceId, signUp, uniqueEmail } from "../test/accounts.js";
import { startTestApp, type TestApp } from "../test/app.js";
import { startFakeUpstream, type FakeUpstream } from "../test/fake-upstream.js";
import { createTestUser } from "../test/fixtures.js";
import { accepted, fastTuning, grsaiEnv, running, soraRequest, succeeded } from "../test/generation.js";
import { ledgerOfTask } from "../test/tasks.js";

let fake: FakeUpstream;
let a: TestApp;
let b: TestApp;
let workers: BackgroundWork[];
beforeAll(async () => {
  fake = await startFakeUpstream();
  const env = grsaiEnv(fake, { ...accountTestEnv, SORA_WAIT_SECONDS: "10" });
  a = await startTestApp(env, { tuning: fastTuning });
  // Instance B: its own pool on A's database, its own reconciler, as a second server process would have.
  const db = createDatabase({ url: a.database.url, poolSize: 10 });
  b = await startTestApp(env, { tuning: fastTuning, database: { db, url: a.database.url, drop: () => db.destroy() } });
  workers = [a, b].map((app) => createBackgroundWork(backgroundJobs(app.deps), app.deps.logger));
  for (const worker of workers) worker.start();
});
afterAll(async () => {
  for (const worker of workers ?? []) await worker.stop();
  await b?.close();
  await a?.close();
  await fake?.close();
});
beforeEach(() => {
  // One wall clock for both instances, as two servers of one deployment share.
  b.clock.set(a.clock.now());
});

describe("two instances on one database", () => {
  it("a login on instance B ends the session instance A serves: A's next heartbeat is rejected", async () => {
    const account = await signUp(a);
    expect((await logIn(a, account, account.deviceId)).body).toMatchObject({ status: "success" });
    expect((await heartbeat(a, account.email, account.deviceId)).body).toMatchObject({ status: "ok" });
    b.clock.set(a.clock.now());
    const otherDevice = newDeviceId();
    expect(await logInOnNewDevice(b, account, otherDevice)).toMatchObject({ status: "success" });
    // No cache between the instances: the very next heartbeat on A is rejected, with no window at all.
    expect((await heartbeat(a, account.email, account.deviceId)).body).toEqual({ status: "rejected" });
    expect((await heartbeat(a, account.email, otherDevice)).body).toMatchObject({ status: "ok" });
  });

  it("keeps the per-address code cooldown across instances: a second send_code on B right after A's is RATE_LIMITED", async () => {
    const email = uniqueEmail();
    expect((await a.post("/api/auth/send_code", { email }, { "x-forwarded-for": freshIp() })).body).toMatchObject({ status: "success" });
    expect((await b.post("/api/auth/send_code", { email }, { "x-forwarded-for": freshIp() })).body).toMatchObject({
      status: "failed",
      code: "RATE_LIMITED",
    });
    expect(b.smtp.to(email)).toHaveLength(0);
  });

  it(`counts card guesses across instances: ${redeemFailureLimits.perUser.max} bad keys spread over A and B, then RATE_LIMITED on both`, async () => {
    const user = await createTestUser(a.deps);
    const redeem = (app: TestApp) => app.post("/api/pay/redeem", { email: user.email, card_key: "ABCD-EFGH-JKLM" }, user.headers);
    const codes = [];
    for (let i = 0; i < redeemFailureLimits.perUser.max; i++) codes.push((await redeem(i % 2 === 0 ? a : b)).body.code);
    expect(codes).toEqual(Array(redeemFailureLimits.perUser.max).fill("CARD_INVALID"));
    expect((await redeem(a)).body.code).toBe("RATE_LIMITED");
    expect((await redeem(b)).body.code).toBe("RATE_LIMITED");
  });

  it("works each task once with both reconcilers running: one submit, never two polls of a task at once, one charge, no refund", async () => {
    let submits = 0;
    fake.on("/v1/video/sora-video", () => accepted(`up-two-${++submits}`));
    const inFlight = new Map<string, number>();
    const polls = new Map<string, number>();
    let overlaps = 0;
    fake.on("/v1/draw/result", async (request) => {
      const id = String((request.json as { id?: unknown }).id);
      const now = (inFlight.get(id) ?? 0) + 1;
      inFlight.set(id, now);
      if (now > 1) overlaps++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight.set(id, (inFlight.get(id) ?? 1) - 1);
      const seen = (polls.get(id) ?? 0) + 1;
      polls.set(id, seen);
      return seen > 4 ? succeeded(id, `https://cdn.example.com/${id}.mp4`) : running(id, seen * 20);
    });
    const user = await createTestUser(a.deps, { points: 1_000 });
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).post("/api/proxy/sora", soraRequest, user.headers)),
    );
    for (const answer of answers) expect(answer.body).toMatchObject({ status: "success", data: { status: "completed" } });
    expect(submits).toBe(10);
    expect(overlaps).toBe(0);
    for (const answer of answers)
      expect(await ledgerOfTask(a.deps, answer.body.data.id)).toEqual({ consume: [expect.any(Number)], refund: [] });
    expect((await checkLedger(a.deps.db)).offenders).toEqual([]);
  });
});
