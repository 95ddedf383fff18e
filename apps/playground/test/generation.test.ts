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

describe("generation in the playground", () => {
  it("makes an image and a video with live progress and shows them, and lists them among the user's tasks", async () => {
    const email = `browser-${randomUUID().slice(0, 8)}@example.com`;
    const page = await openPlayground(browser);
    await signUpAndLogIn(page, email);
    const [cardKey] = await createCardKeys(inject("api"), 100);
    await page.getByTestId("card-key").fill(cardKey ?? "");
    await page.getByTestId("redeem").click();
    await see(page, "balance", /^110$/);

    await page.getByTestId("banana-create").click();
    // Progress arrives over the event stream while the create call is still held.
    await page.locator('[data-testid="banana-task"][data-status="processing"]').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId("banana-create").isDisabled()).toBe(true);
    await page.getByTestId("banana-task-image").waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("banana-task-image").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(
      true,
    );

    await page.getByTestId("sora-create").click();
    await page.locator('[data-testid="sora-task"][data-status="processing"]').waitFor({ timeout: 20_000 });
    await page.getByTestId("sora-task-video").waitFor({ timeout: 30_000 });
    await see(page, "balance", /^86$/);
    await see(page, "tasks", "Sora 视频");
    await see(page, "tasks", "Banana 图片");
    await screenshot(page, "generation");
  });
});
