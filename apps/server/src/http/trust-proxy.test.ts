import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../app.js";
import { createLogger } from "../logger.js";
import { codeMailsPerIpHour } from "../modules/auth/limits.js";
import { uniqueEmail } from "../test/accounts.js";
import { startTestApp, testConfig, type TestApp } from "../test/app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ TRUST_PROXY: "1" });
});
afterAll(() => app.close());

function warningsOfAppWith(trustProxy: string): string[] {
  const lines: string[] = [];
  const logger = createLogger("warn", { write: (line: string) => void lines.push(line) });
  createApp({ ...app.deps, config: testConfig({ TRUST_PROXY: trustProxy }), logger });
  return lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
}

describe("TRUST_PROXY", () => {
  it("warns at start-up when it is true, since any client could then choose its IP", () => {
    expect(warningsOfAppWith("true")).toEqual([expect.stringMatching(/^TRUST_PROXY=true .*choose its IP.*TRUST_PROXY=1/)]);
    for (const safe of ["1", "false", "10.0.0.0/8"]) expect(warningsOfAppWith(safe)).toEqual([]);
  });

  it("with a hop count, counts the address the proxy saw, whatever the client put in X-Forwarded-For", async () => {
    const proxySaw = "203.0.113.50";
    const sendCode = (spoofed: string) =>
      app.post("/api/auth/send_code", { email: uniqueEmail() }, { "x-forwarded-for": `${spoofed}, ${proxySaw}` });
    for (let i = 0; i < codeMailsPerIpHour; i++) expect((await sendCode(`10.66.0.${i}`)).body.status).toBe("success");
    expect((await sendCode("10.66.1.1")).body).toMatchObject({ status: "failed", code: "RATE_LIMITED" });
  });
});
