import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountTestEnv, heartbeat, logIn, signUp } from "../../test/accounts.js";
import { startTestApp, type TestApp } from "../../test/app.js";
import { changePoints } from "../points/ledger.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ ...accountTestEnv, DAILY_REWARD_POINTS: "3", REWARD_TIMEZONE: "Asia/Shanghai" });
  app.clock.set(new Date("2030-03-01T00:00:00Z"));
});
afterAll(() => app.close());

/** Tests share one clock that only moves forward. */
function moveTo(iso: string): void {
  const target = new Date(iso);
  if (target <= app.clock.now()) throw new Error(`the clock is already past ${iso}`);
  app.clock.set(target);
}

async function signedIn() {
  const account = await signUp(app);
  expect((await logIn(app, account, account.deviceId)).body.status).toBe("success");
  const { id } = await app.deps.db.selectFrom("users").select("id").where("email", "=", account.email).executeTakeFirstOrThrow();
  return { ...account, id };
}

const rewardRows = (userId: number) =>
  app.deps.db
    .selectFrom("ledger")
    .select(["amount", "balance_after", "description", "ref"])
    .where("user_id", "=", userId)
    .where("type", "=", "reward")
    .orderBy("id")
    .execute();

describe("daily online reward", () => {
  it("is granted by the first heartbeat of each calendar day in REWARD_TIMEZONE, and only by it", async () => {
    moveTo("2030-03-01T15:58:00Z"); // 23:58 in Shanghai
    const account = await signedIn();
    const beat = async () => (await heartbeat(app, account.email, account.deviceId)).body;
    expect(await beat()).toEqual({ status: "ok", has_reward: true });
    expect(await beat()).toEqual({ status: "ok", has_reward: false });
    moveTo("2030-03-01T16:00:30Z"); // 00:00:30 on 2 March in Shanghai, still 1 March in UTC
    expect(await beat()).toEqual({ status: "ok", has_reward: true });
    expect(await beat()).toEqual({ status: "ok", has_reward: false });

    expect(await rewardRows(account.id)).toEqual([
      { amount: 3, balance_after: 3, description: "每日在线奖励", ref: "reward:2030-03-01" },
      { amount: 3, balance_after: 6, description: "每日在线奖励", ref: "reward:2030-03-02" },
    ]);
    const user = await app.deps.db
      .selectFrom("users")
      .select(["points", "last_reward_day"])
      .where("id", "=", account.id)
      .executeTakeFirstOrThrow();
    expect(user).toEqual({ points: 6, last_reward_day: "2030-03-02" });
    expect((await logIn(app, account, account.deviceId)).body.data.points).toBe(6);
  });

  it("is granted exactly once to ten concurrent heartbeats", async () => {
    moveTo("2030-03-05T04:00:00Z");
    const account = await signedIn();
    const answers = await Promise.all(Array.from({ length: 10 }, () => heartbeat(app, account.email, account.deviceId)));
    expect(answers.every((a) => a.body.status === "ok")).toBe(true);
    expect(answers.filter((a) => a.body.has_reward === true)).toHaveLength(1);
    expect(await rewardRows(account.id)).toEqual([{ amount: 3, balance_after: 3, description: "每日在线奖励", ref: "reward:2030-03-05" }]);
  });

  it("is not granted to a rejected heartbeat", async () => {
    moveTo("2030-03-06T04:00:00Z");
    const account = await signedIn();
    const res = await app.post(
      "/api/user/heartbeat",
      { email: account.email },
      { "x-user-email": account.email, "x-device-id": "another-device-id" },
    );
    expect(res.body).toEqual({ status: "rejected" });
    expect(await rewardRows(account.id)).toEqual([]);
  });

  it("is never granted for a day earlier than one already granted (a late heartbeat from before midnight)", async () => {
    moveTo("2030-03-07T04:00:00Z");
    const account = await signedIn();
    // Another instance (or a heartbeat that started after midnight) already granted 8 March.
    await app.deps.db.updateTable("users").set({ last_reward_day: "2030-03-08" }).where("id", "=", account.id).execute();
    expect((await heartbeat(app, account.email, account.deviceId)).body).toEqual({ status: "ok", has_reward: false });
    expect(await rewardRows(account.id)).toEqual([]);
  });

  it("is refused twice for the same user and day by the database itself", async () => {
    const account = await signedIn();
    const grant = () =>
      app.deps.db
        .transaction()
        .execute((trx) =>
          changePoints(trx, { userId: account.id, delta: 3, type: "reward", description: "每日在线奖励", ref: "reward:2030-03-09" }),
        );
    await grant();
    await expect(grant()).rejects.toThrow(/ledger_reward_once_per_day/);
  });
});
