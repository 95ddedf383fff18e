import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { readEmailedCode } from "@ocean1/test-server";
import { inject } from "vitest";

/** Debian's Chromium; never a browser downloaded by a test tool. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** Opens the playground pointed at the test API; each browser context is its own device (its own localStorage). */
export async function openPlayground(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto(`${inject("playgroundUrl")}/?api=${encodeURIComponent(inject("api").url)}`);
  return page;
}

/**
 * The screenshots that docs/client.md shows: written to docs/images when UPDATE_SCREENSHOTS=1,
 * otherwise to a temporary folder (a test run leaves the work tree as it was).
 */
const imagesDir =
  process.env.UPDATE_SCREENSHOTS === "1"
    ? path.resolve(fileURLToPath(import.meta.url), "../../../../docs/images")
    : path.join(tmpdir(), "ocean1-playground-screenshots");

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(imagesDir, { recursive: true });
  await page.screenshot({ path: path.join(imagesDir, `playground-${name}.png`), fullPage: true });
}

/** Waits until the element of `testId` shows `text` (the page answers asynchronously). */
export async function see(page: Page, testId: string, text: string | RegExp): Promise<void> {
  await page.getByTestId(testId).filter({ hasText: text }).first().waitFor({ timeout: 20_000 });
}

export const password = "correct horse battery";

/** Signs up through the page with the code read from the outbox, then logs in (the device is trusted). */
export async function signUpAndLogIn(page: Page, email: string): Promise<void> {
  await page.getByTestId("signup-email").fill(email);
  await page.getByTestId("signup-send-code").click();
  await see(page, "signup-code-answer", "success");
  await page.getByTestId("signup-code").fill(await readEmailedCode(inject("api"), email));
  await page.getByTestId("signup-password").fill(password);
  await page.getByTestId("signup-nickname").fill("小橘");
  await screenshot(page, "sign-up");
  await page.getByTestId("signup-submit").click();
  await see(page, "signup-answer", "注册成功");

  await page.getByTestId("login-email").fill(email);
  await page.getByTestId("login-password").fill(password);
  await page.getByTestId("login-submit").click();
  await see(page, "current-email", email);
}
