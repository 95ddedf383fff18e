import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../errors/app-error.js";
import { createLogger } from "../../logger.js";
import { startChatUpstream, type ChatUpstream } from "../../test/chat-upstream.js";
import { startTestApp, type TestApp } from "../../test/app.js";
import { createTestUser, pointsOf } from "../../test/fixtures.js";
import { catChat } from "./service.js";

const apiKey = `sk-test-${randomUUID()}`;
let upstream: ChatUpstream;
/** A provider that, like some real ones, echoes the key it refused in its error text. */
let echoing: Server;
let echoingUrl: string;
let app: TestApp;

beforeAll(async () => {
  upstream = await startChatUpstream();
  echoing = express()
    .post("/v1/chat/completions", (req, res) => {
      res.status(401).json({ error: { message: `Incorrect API key provided: ${req.get("authorization")?.slice(7) ?? ""}` } });
    })
    .listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => echoing.once("listening", resolve));
  echoingUrl = `http://127.0.0.1:${(echoing.address() as AddressInfo).port}`;
  app = await startTestApp({ CHAT_BASE_URL: upstream.url, CHAT_API_KEY: apiKey, CHAT_TIMEOUT_MS: "600" });
});
afterAll(async () => {
  await app.close();
  await upstream.close();
  await new Promise<void>((resolve) => echoing.close(() => resolve()));
});

/** Calls the service as the router does, with a logger whose lines the test reads. */
async function chatLogged(content: string, providers = app.deps.providers) {
  const lines: Array<{ level: string; msg: string } & Record<string, unknown>> = [];
  const raw: string[] = [];
  const write = (line: string) => {
    raw.push(line);
    lines.push(JSON.parse(line) as (typeof lines)[number]);
  };
  const log = createLogger("debug", { write });
  const user = await createTestUser(app.deps, { points: 5 });
  const outcome = await catChat({ ...app.deps, providers }, { userId: user.id, log }, { messages: [{ role: "user", content }] }).catch(
    (error: unknown) => error,
  );
  return { outcome, lines, raw: raw.join(""), points: await pointsOf(app.deps, user.id) };
}

describe("what the operator reads about a failed cat chat", () => {
  it("logs a refused key at error level, naming CHAT_API_KEY, without the key", async () => {
    const { outcome, lines, raw, points } = await chatLogged("[auth]");
    expect(outcome).toBeInstanceOf(AppError);
    expect((outcome as AppError).code).toBe("CHAT_FAILED");
    expect(lines).toContainEqual(
      expect.objectContaining({ level: "error", kind: "account", httpStatus: 401, msg: expect.stringContaining("CHAT_API_KEY") }),
    );
    expect(raw).not.toContain(apiKey);
    expect(points).toBe(5);
  });

  it("logs an exhausted quota at error level too", async () => {
    const { lines } = await chatLogged("[quota]");
    expect(lines).toContainEqual(expect.objectContaining({ level: "error", kind: "account", httpStatus: 429 }));
  });

  it("logs a passing fault (429, 5xx, timeout) as a warning, not an error", async () => {
    for (const [steer, kind] of [
      ["[rate]", "rate_limited"],
      ["[fail]", "http"],
      ["[slow]", "timeout"],
    ] as const) {
      const { lines } = await chatLogged(steer);
      expect(lines).toContainEqual(expect.objectContaining({ level: "warn", kind }));
      expect(lines.some((line) => line.level === "error")).toBe(false);
    }
  });

  it("removes the key from an upstream error text that echoes it", async () => {
    const chat = { baseUrl: `${echoingUrl}/v1`, apiKey, model: "m" };
    const { lines, raw } = await chatLogged("hi", { ...app.deps.providers, chat });
    expect(lines).toContainEqual(expect.objectContaining({ level: "error", detail: expect.stringContaining("[redacted]") }));
    expect(raw).not.toContain(apiKey);
  });
});
