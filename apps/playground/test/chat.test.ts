import { randomUUID } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";
import { launchChromium, openPlayground, screenshot, see, signUpAndLogIn } from "./browser.js";

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe("the cat chat in the playground", () => {
  it("shows the cat's reply and the point it cost", async () => {
    const page = await openPlayground(browser);
    await signUpAndLogIn(page, `browser-${randomUUID().slice(0, 8)}@example.com`);
    await see(page, "balance", /^10$/);
    await page.getByTestId("chat-input").fill("你好呀");
    await page.getByTestId("chat-send").click();
    await see(page, "chat-messages", "猫猫：");
    await see(page, "balance", /^9$/);
    await screenshot(page, "chat");
  });
});
