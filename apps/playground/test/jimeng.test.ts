import { randomUUID } from "node:crypto";
import { createCardKeys } from "@ocean1/test-server";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, inject, it } from "vitest";
import { launchChromium, openPlayground, screenshot, see, signUpAndLogIn } from "./browser.js";

/** A real 1×1 PNG: the server checks an upload's type by its content. */
const onePixelPng = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe("Jimeng in the playground", () => {
  it("uploads a reference image (multipart), follows the pending task to its image, then makes a Jimeng video", async () => {
    const page = await openPlayground(browser);
    await signUpAndLogIn(page, `browser-${randomUUID().slice(0, 8)}@example.com`);
    const [cardKey] = await createCardKeys(inject("api"), 100);
    await page.getByTestId("card-key").fill(cardKey ?? "");
    await page.getByTestId("redeem").click();
    await see(page, "balance", /^110$/);

    await page.getByTestId("jimeng-file").setInputFiles({ name: "cat.png", mimeType: "image/png", buffer: onePixelPng });
    await page.getByTestId("jimeng-image-create").click();
    await page.getByTestId("jimeng-task-image").waitFor({ timeout: 30_000 });
    // jimeng-4.x makes four images: the playground shows every one.
    await page.getByTestId("jimeng-task-image-4").waitFor({ timeout: 5_000 });
    await see(page, "tasks", "即梦图片");
    await screenshot(page, "jimeng");

    await page.getByTestId("jimeng-video-create").click();
    await page.getByTestId("jimeng-task-video").waitFor({ timeout: 30_000 });
  });
});
