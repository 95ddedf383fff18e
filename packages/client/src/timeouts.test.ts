import { createServer as createHttpServer } from "node:http";
import { createServer, type Socket } from "node:net";
import { operations } from "@ocean1/contract";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createMemoryStorage, createOcean1Client, Ocean1RequestError, type Ocean1Client } from "./index.js";

/** A network that never answers: each request waits until its signal aborts. */
function stalledNetwork() {
  const requests: Array<{ url: string; signal: AbortSignal | null | undefined }> = [];
  const fetch = (input: string | URL | Request, init?: RequestInit) =>
    new Promise<Response>((_, reject) => {
      requests.push({ url: String(input), signal: init?.signal });
      init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
    });
  return { fetch, requests };
}

const calls: Array<[keyof typeof operations, (client: Ocean1Client) => Promise<unknown>]> = [
  ["login", (c) => c.login("a@example.com", "password1")],
  ["register", (c) => c.register("a@example.com", "password1", "猫", "", "123456")],
  ["sendCode", (c) => c.sendCode("a@example.com")],
  ["loginVerify", (c) => c.loginVerify("a@example.com", "123456")],
  ["resetPassword", (c) => c.resetPassword("a@example.com", "password1", "123456")],
  ["heartbeat", (c) => c.heartbeat("a@example.com")],
  ["getHistory", (c) => c.getHistory()],
  ["redeemCard", (c) => c.redeemCard("a@example.com", "AAAA-BBBB-CCCC")],
  ["soraCreate", (c) => c.soraCreate("a cat", "sora-2", "16:9", 10)],
  ["bananaCreate", (c) => c.bananaCreate("a cat", "nano-banana", "1024x1024", "1:1")],
  ["queryResult", (c) => c.queryResult("task-1")],
  ["listTasks", (c) => c.listTasks()],
  ["jimengVideoCreate", (c) => c.jimengVideoCreate({ prompt: "a cat" })],
  ["jimengImageCreate", (c) => c.jimengImageCreate({ prompt: "a cat" })],
  ["catChat", (c) => c.catChat([{ role: "user", content: "喵" }])],
];

describe("per-call timeouts (the contract's clientTimeoutMs, as api.ts)", () => {
  beforeEach(() => void vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] }));
  afterEach(() => void vi.useRealTimers());

  it.each(calls)("%s gives up exactly at its budget and throws a timeout error", async (name, call) => {
    const budget = operations[name].clientTimeoutMs;
    if (budget === null) throw new Error(`${name} has no budget`);
    const network = stalledNetwork();
    const client = createOcean1Client({ baseUrl: "http://api.invalid", storage: createMemoryStorage(), fetch: network.fetch });
    const outcome = call(client).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    await vi.advanceTimersByTimeAsync(budget - 1);
    expect(network.requests).toHaveLength(1);
    expect(network.requests[0]?.signal?.aborted).toBe(false);

    await vi.advanceTimersByTimeAsync(1);
    const settled = await outcome;
    expect(settled).toHaveProperty("error");
    const error = (settled as { error: unknown }).error;
    expect(error).toBeInstanceOf(Ocean1RequestError);
    expect((error as Ocean1RequestError).kind).toBe("timeout");
  });

  it("heartbeat gives up after 8 s on a real socket that accepts the request and never answers", async () => {
    const sockets: Socket[] = [];
    const blackHole = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => blackHole.listen(0, "127.0.0.1", resolve));
    const address = blackHole.address();
    if (!address || typeof address === "string") throw new Error("no port");
    try {
      const client = createOcean1Client({ baseUrl: `http://127.0.0.1:${address.port}`, storage: createMemoryStorage() });
      let outcome: unknown = "pending";
      const done = client.heartbeat("a@example.com").catch((error: unknown) => (outcome = error));
      while (sockets.length === 0) await new Promise((resolve) => setImmediate(resolve));
      await vi.advanceTimersByTimeAsync(7_999);
      expect(outcome).toBe("pending");
      await vi.advanceTimersByTimeAsync(1);
      await done;
      expect(outcome).toMatchObject({ name: "Ocean1RequestError", kind: "timeout" });
    } finally {
      for (const socket of sockets) socket.destroy();
      blackHole.close();
    }
  });

  it("budgets are api.ts's: heartbeat 8 s, sora 600 s, banana 300 s, jimeng 60 s, the rest 30 s", () => {
    const budgets = Object.fromEntries(calls.map(([name]) => [name, operations[name].clientTimeoutMs]));
    expect(budgets).toMatchObject({
      heartbeat: 8_000,
      soraCreate: 600_000,
      bananaCreate: 300_000,
      jimengVideoCreate: 60_000,
      jimengImageCreate: 60_000,
      login: 30_000,
      catChat: 30_000,
      queryResult: 30_000,
    });
  });

  it("an image upload (multipart) has no timeout, as in api.ts", async () => {
    const network = stalledNetwork();
    const client = createOcean1Client({ baseUrl: "http://api.invalid", storage: createMemoryStorage(), fetch: network.fetch });
    let settled = false;
    void client.jimengImageCreate({ prompt: "a cat" }, new Blob(["x"], { type: "image/png" })).finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(network.requests).toHaveLength(1);
    expect(network.requests[0]?.signal).toBeFalsy();
    expect(settled).toBe(false);
  });
});

describe("no answer is thrown, not returned", () => {
  it("throws a network error when nothing listens at the base URL", async () => {
    const client = createOcean1Client({ baseUrl: "http://127.0.0.1:9", storage: createMemoryStorage() });
    await expect(client.login("a@example.com", "password1")).rejects.toMatchObject({ name: "Ocean1RequestError", kind: "network" });
    await expect(client.soraCreate("a cat", "sora-2", "16:9", 10)).rejects.toMatchObject({ kind: "network" });
  });

  it("throws HTTP <status>, as api.ts, when a proxy answers an error page instead of the API", async () => {
    const proxy = createHttpServer((_req, res) => res.writeHead(502, { "content-type": "text/html" }).end("<html>502 Bad Gateway</html>"));
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const address = proxy.address();
    if (!address || typeof address === "string") throw new Error("no port");
    try {
      const client = createOcean1Client({ baseUrl: `http://127.0.0.1:${address.port}`, storage: createMemoryStorage() });
      await expect(client.login("a@example.com", "password1")).rejects.toMatchObject({ kind: "http", status: 502, message: "HTTP 502" });
      await expect(client.getHistory()).rejects.toMatchObject({ kind: "http", status: 502 });
      await expect(client.bananaCreate("a cat", "nano-banana", "1024x1024", "1:1")).rejects.toMatchObject({ kind: "http", status: 502 });
    } finally {
      proxy.close();
    }
  });
});
