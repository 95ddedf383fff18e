import { randomUUID } from "node:crypto";
import { readEmailedCode } from "@ocean1/test-server";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium, openPlayground, password, screenshot, see, signUpAndLogIn } from "./browser.js";

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe("one active device, in two browser contexts", () => {
  it("verifies the second browser with the emailed code, and the first one's heartbeat shows it was kicked off", async () => {
    const email = `browser-${randomUUID().slice(0, 8)}@example.com`;
    const laptop = await openPlayground(browser);
    await signUpAndLogIn(laptop, email);

    const seen = new Set([await readEmailedCode(inject("api"), email)]);
    const phone = await openPlayground(browser);
    await phone.getByTestId("login-email").fill(email);
    await phone.getByTestId("login-password").fill(password);
    await phone.getByTestId("login-submit").click();
    await see(phone, "login-answer", "NEED_VERIFY");
    await phone.getByTestId("login-code").fill(await readEmailedCode(inject("api"), email, seen));
    await screenshot(phone, "new-device");
    await phone.getByTestId("login-verify").click();
    await see(phone, "current-email", email);

    await laptop.getByTestId("heartbeat").click();
    await see(laptop, "kicked", "已在其他设备登录");
    expect(await laptop.evaluate(() => localStorage.getItem("ocean1_user_email"))).toBeNull();
    await screenshot(laptop, "kicked-off");
  });
});
