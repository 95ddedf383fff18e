import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/app.js";
import { createTestUser, type TestUser } from "../../test/fixtures.js";
import { hashDeviceId, startSession } from "./sessions.js";

let app: TestApp;
let users: TestUser[];
beforeAll(async () => {
  app = await startTestApp();
  users = await Promise.all(Array.from({ length: 6 }, () => createTestUser(app.deps)));
});
afterAll(() => app.close());

const heartbeat = (user: TestUser, headers: Record<string, string> = user.headers) =>
  app.post("/api/user/heartbeat", { email: user.email }, headers);

describe("session lookups read together", () => {
  it("answer each of many concurrent callers for itself: the right user, a wrong device, an unknown email", async () => {
    const calls = users.flatMap((user, i) => [
      heartbeat(user).then((res) => [`${i} own`, res.body.status]),
      heartbeat(user, { ...user.headers, "x-device-id": `someone-else-${i}` }).then((res) => [`${i} other device`, res.body.status]),
      heartbeat(user, { ...user.headers, "x-user-email": `ghost-${i}@example.com` }).then((res) => [`${i} ghost`, res.body.status]),
    ]);
    const answers = Object.fromEntries(await Promise.all(calls));
    const expected = Object.fromEntries(
      users.flatMap((_user, i) => [
        [`${i} own`, "ok"],
        [`${i} other device`, "rejected"],
        [`${i} ghost`, "rejected"],
      ]),
    );
    expect(answers).toEqual(expected);
  });

  it("see a log-in on another device at once: the old device's very next heartbeat is rejected", async () => {
    const [user] = users;
    if (!user) throw new Error("no user");
    expect((await heartbeat(user)).body.status).toBe("ok");
    await app.deps.db
      .transaction()
      .execute((trx) => startSession(trx, user.id, hashDeviceId(app.deps.secret, "the-new-device-0001"), app.deps.clock.now()));
    expect((await heartbeat(user)).body).toEqual({ status: "rejected" });
    expect((await heartbeat(user, { ...user.headers, "x-device-id": "the-new-device-0001" })).body.status).toBe("ok");
  });

  it("fail every caller of a statement that fails, and the next ones succeed again", async () => {
    const [, user] = users;
    if (!user) throw new Error("no user");
    await app.deps.db.schema.alterTable("sessions").renameTo("sessions_away").execute();
    try {
      const answers = await Promise.all([heartbeat(user), heartbeat(user)]);
      for (const res of answers) expect(res.body).toMatchObject({ status: "failed", code: "INTERNAL" });
    } finally {
      await app.deps.db.schema.alterTable("sessions_away").renameTo("sessions").execute();
    }
    expect((await heartbeat(user)).body.status).toBe("ok");
  });

  it("answer through a schema change under their prepared statement (answered unprepared), and after it", async () => {
    const [, , user] = users;
    if (!user) throw new Error("no user");
    const round = async () => (await Promise.all(Array.from({ length: 8 }, () => heartbeat(user)))).map((res) => res.body.status);
    const allOk = Array.from({ length: 8 }, () => "ok");
    expect(await round()).toEqual(allOk);
    await sql`alter table users alter column points type bigint`.execute(app.deps.db);
    try {
      expect(await round()).toEqual(allOk);
    } finally {
      await sql`alter table users alter column points type integer`.execute(app.deps.db);
    }
    expect(await round()).toEqual(allOk);
  });
});
