import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ZEmail } from "@ocean1/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../logger.js";
import { createOutboxMailer } from "./mailer.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ocean1-outbox-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the outbox mailer", () => {
  it("keeps a message to a valid 240-character address", async () => {
    const address = `${"a".repeat(64)}@${"b".repeat(60)}.${"c".repeat(60)}.${"d".repeat(41)}.example.com`;
    expect(address).toHaveLength(240);
    expect(ZEmail.parse(address)).toBe(address);
    const mailer = createOutboxMailer(dir, createLogger("silent"));
    await mailer.send({ to: address, subject: "验证码", text: "code 123456", html: "<p>code 123456</p>" });
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(await readFile(path.join(dir, files[0] ?? ""), "utf8")).toContain(`To: ${address}`);
  });
});
