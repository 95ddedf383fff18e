import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toFailure } from "../../errors/transport.js";
import { accountTestEnv, heartbeat, logIn, logInOnNewDevice, newDeviceId, signUp, uniqueEmail } from "../../test/accounts.js";
import { startTestApp, type TestApp } from "../../test/app.js";
import { appRouter } from "../../router.js";
import { createCallerFactory, createContextInner } from "../../trpc.js";

const idleDays = 3;
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ ...accountTestEnv, SESSION_IDLE_DAYS: String(idleDays) });
});
afterAll(() => app.close());

const dayMs = 86_400_000;

/** An authenticated call (the caller's history, over tRPC) with the headers a device would send: the email, or the failure code. */
async function authenticatedCall(email: string, deviceId: string): Promise<string> {
  const caller = createCallerFactory(appRouter)(
    createContextInner(app.deps, { requestId: "test", ip: "127.0.0.1", email, deviceId, log: app.deps.logger }),
  );
  try {
    await caller.getHistory({ limit: 1 });
    return email;
  } catch (error) {
    return toFailure(error).code;
  }
}

async function signedIn() {
  const account = await signUp(app);
  expect((await logIn(app, account, account.deviceId)).body.status).toBe("success");
  return account;
}

describe("heartbeat", () => {
  it("answers ok without a reward for the active session, writing nothing for a reward that is off", async () => {
    const account = await signedIn();
    expect(await heartbeat(app, account.email, account.deviceId)).toEqual({ status: 200, body: { status: "ok", has_reward: false } });
    const user = await app.deps.db.selectFrom("users").selectAll().where("email", "=", account.email).executeTakeFirstOrThrow();
    expect(user.last_reward_day).toBeNull();
    const ledger = await app.deps.db.selectFrom("ledger").select("type").where("user_id", "=", user.id).execute();
    expect(ledger).toEqual([{ type: "register" }]);
  });

  it("answers rejected, never a failure, when the headers do not name the active session", async () => {
    const account = await signedIn();
    const stranger = await signUp(app);
    const cases: [Record<string, string>, string][] = [
      [{}, account.email],
      [{ "x-user-email": account.email }, account.email],
      [{ "x-device-id": account.deviceId }, account.email],
      [{ "x-user-email": account.email, "x-device-id": newDeviceId() }, account.email],
      [{ "x-user-email": account.email, "x-device-id": account.deviceId }, stranger.email],
      [{ "x-user-email": stranger.email, "x-device-id": account.deviceId }, stranger.email],
      [{ "x-user-email": uniqueEmail(), "x-device-id": account.deviceId }, account.email],
    ];
    for (const [headers, bodyEmail] of cases) {
      expect(await app.post("/api/user/heartbeat", { email: bodyEmail }, headers)).toEqual({ status: 200, body: { status: "rejected" } });
    }
    expect((await heartbeat(app, account.email.toUpperCase(), account.deviceId, account.email)).body.status).toBe("ok");
  });

  it('fails INVALID_DEVICE, as every authenticated call does, for the device id "server" or one too short', async () => {
    const account = await signedIn();
    for (const deviceId of ["server", "short"]) {
      const res = await app.post(
        "/api/user/heartbeat",
        { email: account.email },
        { "x-user-email": account.email, "x-device-id": deviceId },
      );
      expect(res).toEqual({
        status: 200,
        body: { status: "failed", code: "INVALID_DEVICE", msg: "设备标识无效，请在浏览器中打开页面后重新登录" },
      });
      expect(await authenticatedCall(account.email, deviceId)).toBe("INVALID_DEVICE");
    }
    expect((await heartbeat(app, account.email, account.deviceId)).body.status).toBe("ok");
  });

  it("fails with VALIDATION for a malformed body", async () => {
    const account = await signedIn();
    for (const body of [{}, { email: "not an email" }]) {
      const res = await app.post("/api/user/heartbeat", body, { "x-user-email": account.email, "x-device-id": account.deviceId });
      expect(res).toEqual({
        status: 200,
        body: { status: "failed", code: "VALIDATION", field: "email", msg: expect.stringContaining("邮箱") },
      });
    }
  });

  it("ends device A's session when device B logs in: A is rejected and its authenticated calls fail UNAUTHENTICATED", async () => {
    const account = await signedIn();
    const deviceB = newDeviceId();
    expect(await authenticatedCall(account.email, account.deviceId)).toBe(account.email);
    expect((await logInOnNewDevice(app, account, deviceB)).status).toBe("success");

    expect((await heartbeat(app, account.email, account.deviceId)).body).toEqual({ status: "rejected" });
    expect(await authenticatedCall(account.email, account.deviceId)).toBe("UNAUTHENTICATED");
    expect((await heartbeat(app, account.email, deviceB)).body.status).toBe("ok");
    expect(await authenticatedCall(account.email, deviceB)).toBe(account.email);

    // A was trusted at registration: logging in there again needs no code and ends B's session.
    expect((await logIn(app, account, account.deviceId)).body.status).toBe("success");
    expect((await heartbeat(app, account.email, deviceB)).body).toEqual({ status: "rejected" });
    expect((await heartbeat(app, account.email, account.deviceId)).body.status).toBe("ok");
  });

  it(`ends a session after SESSION_IDLE_DAYS (${idleDays}) without a heartbeat, and heartbeats keep it alive`, async () => {
    const account = await signedIn();
    for (let day = 0; day < 3 * idleDays; day++) {
      app.clock.advance(idleDays * dayMs - 60_000);
      expect((await heartbeat(app, account.email, account.deviceId)).body.status).toBe("ok");
    }
    app.clock.advance(idleDays * dayMs);
    expect((await heartbeat(app, account.email, account.deviceId)).body).toEqual({ status: "rejected" });
    expect(await authenticatedCall(account.email, account.deviceId)).toBe("UNAUTHENTICATED");
    expect((await logIn(app, account, account.deviceId)).body.status).toBe("success");
    expect((await heartbeat(app, account.email, account.deviceId)).body.status).toBe("ok");
  });

  it("ends the session of an account that gets disabled", async () => {
    const account = await signedIn();
    await app.deps.db.updateTable("users").set({ disabled_at: app.clock.now() }).where("email", "=", account.email).execute();
    expect((await heartbeat(app, account.email, account.deviceId)).body).toEqual({ status: "rejected" });
  });
});
