import { readEmailedCode } from "@ocean1/test-server";
import { describe, expect, it } from "vitest";
import { createMemoryStorage, storageKeys } from "./index.js";
import { newDevice, password, server, signedUpUser } from "./test/accounts.js";

describe("one active device per account", () => {
  it("verifies a new device with the code the login emailed, then that device is the logged-in one", async () => {
    const { email } = await signedUpUser();
    const storage = createMemoryStorage();
    const phone = newDevice(storage);
    const seen = new Set([await readEmailedCode(server(), email)]);

    expect(await phone.login(email, password)).toEqual({ status: "NEED_VERIFY", msg: expect.any(String) });
    expect(storage.getItem(storageKeys.email)).toBeNull();
    const code = await readEmailedCode(server(), email, seen);

    expect(await phone.loginVerify(email, "000000")).toMatchObject({ status: "failed", code: "CODE_INVALID" });
    const verified = await phone.loginVerify(email, code);
    expect(verified).toMatchObject({ status: "success", data: { email } });
    expect(storage.getItem(storageKeys.email)).toBe(email);
    expect(await phone.heartbeat(email)).toMatchObject({ status: "ok" });
  });

  it("kicks the first device off when a second one logs in: heartbeat rejected, other calls UNAUTHENTICATED", async () => {
    const { client: laptop, email } = await signedUpUser();
    expect(await laptop.heartbeat(email)).toMatchObject({ status: "ok" });
    const seen = new Set([await readEmailedCode(server(), email)]);

    const phoneStorage = createMemoryStorage();
    const phone = newDevice(phoneStorage);
    expect(await phone.login(email, password)).toMatchObject({ status: "NEED_VERIFY" });
    expect(await phone.loginVerify(email, await readEmailedCode(server(), email, seen))).toMatchObject({ status: "success" });
    expect(phone.deviceId()).not.toBe(laptop.deviceId());

    expect(await laptop.heartbeat(email)).toEqual({ status: "rejected" });
    expect(await laptop.getHistory()).toEqual({ status: "failed", msg: "登录已失效，请重新登录", code: "UNAUTHENTICATED" });
    // The kicked device still holds its email locally until the app logs it out, as with api.ts.
    expect(laptop.currentEmail()).toBe(email);
    laptop.logout();
    expect(laptop.currentEmail()).toBeNull();
    expect(await phone.heartbeat(email)).toMatchObject({ status: "ok" });
    expect(phoneStorage.getItem(storageKeys.email)).toBe(email);
  });
});
