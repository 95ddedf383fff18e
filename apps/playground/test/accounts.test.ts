import { randomUUID } from "node:crypto";
import { createCardKeys } from "@ocean1/test-server";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium, openPlayground, screenshot, see, signUpAndLogIn } from "./browser.js";

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe("the playground in Chromium, from another origin than the API", () => {
  it("signs up with the emailed code, logs in (the email and device id land in localStorage), and redeems a card key", async () => {
    const email = `browser-${randomUUID().slice(0, 8)}@example.com`;
    const laptop = await openPlayground(browser);
    await signUpAndLogIn(laptop, email);
    expect(await laptop.evaluate(() => [localStorage.getItem("ocean1_user_email"), localStorage.getItem("ocean1_device_id")])).toEqual([
      email,
      await laptop.getByTestId("device-id").textContent(),
    ]);
    await see(laptop, "balance", /^10$/);

    const [cardKey] = await createCardKeys(inject("api"), 100);
    await laptop.getByTestId("card-key").fill(cardKey ?? "");
    await laptop.getByTestId("redeem").click();
    await see(laptop, "redeem-answer", "充值成功");
    await see(laptop, "balance", /^110$/);
    await see(laptop, "history", "卡密充值");
    await screenshot(laptop, "account");
  });
});
