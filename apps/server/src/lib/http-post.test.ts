import { getEventListeners } from "node:events";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idleSocketMs, isTimeout, post, withDeadline } from "./http-post.js";

type Handler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => void;

/** A local HTTP server whose answer each test sets; it records what it received and on which connection. */
const upstream = {
  server: http.createServer(),
  url: "",
  handler: ((_req, _body, res) => res.end("{}")) as Handler,
  sockets: new Set<unknown>(),
  closed: 0,
  received: [] as Array<{ headers: http.IncomingHttpHeaders; body: Buffer }>,
};

beforeAll(async () => {
  upstream.server.on("connection", (socket) => {
    upstream.sockets.add(socket);
    socket.on("close", () => upstream.closed++);
  });
  upstream.server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      upstream.received.push({ headers: req.headers, body });
      upstream.handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => upstream.server.listen(0, "127.0.0.1", resolve));
  upstream.url = `http://127.0.0.1:${(upstream.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  upstream.server.closeAllConnections();
  await new Promise((resolve) => upstream.server.close(resolve));
});

const json = (res: ServerResponse, status: number, body: string) => {
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
};

/** Waits until `check` holds (the other end of a socket notices a close a moment later). */
async function eventually(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
}

describe("post (the upstream HTTP client)", () => {
  it("sends the body with its length and headers, answers status, type and text, and reuses one connection", async () => {
    upstream.handler = (_req, body, res) => json(res, 200, JSON.stringify({ echo: body.toString() }));
    const before = upstream.sockets.size;
    const texts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await withDeadline(2_000, async (signal) => {
        const res = await post(
          `${upstream.url}/v1/draw/result`,
          { Authorization: "Bearer k", "Content-Type": "application/json" },
          `{"id":"t${i}"}`,
          signal,
        );
        return { status: res.status, type: res.contentType, text: await res.text(1_000) };
      });
      expect(answer).toMatchObject({ status: 200, type: "application/json" });
      texts.push(answer.text);
    }
    expect(texts).toEqual([0, 1, 2].map((i) => JSON.stringify({ echo: `{"id":"t${i}"}` })));
    expect(upstream.received.at(-1)?.headers).toMatchObject({
      authorization: "Bearer k",
      "content-length": "11",
      "content-type": "application/json",
      "user-agent": expect.stringMatching(/^ocean1-server\//),
    });
    expect(upstream.sockets.size - before).toBe(1);
  });

  it("leaves no listener on the deadline's signal once the answer is read", async () => {
    upstream.handler = (_req, _body, res) => json(res, 200, "{}");
    const controller = new AbortController();
    const res = await post(upstream.url, {}, "{}", controller.signal);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    await res.text(100);
    await eventually(() => getEventListeners(controller.signal, "abort").length === 0);
  });

  it("waits through a silence longer than the idle-connection limit: a synchronous Jimeng call is silent for minutes", async () => {
    upstream.handler = (_req, _body, res) => setTimeout(() => json(res, 200, '{"late":true}'), idleSocketMs + 500);
    const text = await withDeadline(idleSocketMs + 5_000, async (signal) => (await post(upstream.url, {}, "{}", signal)).text(100));
    expect(text).toBe('{"late":true}');
  }, 15_000);

  it("refuses an answer larger than the limit and closes its connection", async () => {
    upstream.handler = (_req, _body, res) => json(res, 200, "x".repeat(5_000));
    const closedBefore = upstream.closed;
    const res = await post(upstream.url, {}, "{}", new AbortController().signal);
    await expect(res.text(1_000)).rejects.toThrow("upstream answer too large");
    await eventually(() => upstream.closed > closedBefore);
  });

  it("reports a deadline that passes before the headers as a timeout, and closes the connection", async () => {
    upstream.handler = () => undefined; // never answers
    const closedBefore = upstream.closed;
    const error = await withDeadline(100, (signal) => post(upstream.url, {}, "{}", signal)).catch((e: unknown) => e);
    expect(isTimeout(error)).toBe(true);
    expect((error as Error).name).toBe("TimeoutError");
    await eventually(() => upstream.closed > closedBefore);
  });

  it("reports a deadline that passes in the middle of the body as a timeout, not as the reset it causes", async () => {
    upstream.handler = (_req, _body, res) => {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": 100 });
      res.write('{"code":0,'); // and nothing more
    };
    const error = await withDeadline(150, async (signal) => {
      const res = await post(upstream.url, {}, "{}", signal);
      return res.text(1_000);
    }).catch((e: unknown) => e);
    expect((error as Error).name).toBe("TimeoutError");
  });

  it("rejects, as a network fault and not a timeout, an answer cut off by the upstream", async () => {
    upstream.handler = (_req, _body, res) => {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": 100 });
      res.write('{"code":0,', () => res.socket?.destroy());
    };
    const error = await withDeadline(2_000, async (signal) => (await post(upstream.url, {}, "{}", signal)).text(1_000)).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(isTimeout(error)).toBe(false);
  });

  it("rejects a connection refused", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(post(`http://127.0.0.1:${port}`, {}, "{}", new AbortController().signal)).rejects.toThrow(/ECONNREFUSED/);
  });

  it("does not follow a redirect: the 3xx is the answer", async () => {
    upstream.handler = (_req, _body, res) => {
      res.writeHead(302, { Location: `${upstream.url}/elsewhere`, "Content-Length": 0 });
      res.end();
    };
    const count = upstream.received.length;
    const res = await post(`${upstream.url}/v1/video/sora-video`, {}, "{}", new AbortController().signal);
    expect(res.status).toBe(302);
    res.discard();
    expect(upstream.received.length - count).toBe(1);
  });

  it("sends a FormData as multipart with its boundary and length", async () => {
    upstream.handler = (_req, _body, res) => json(res, 200, "{}");
    const form = new FormData();
    form.set("prompt", "一只猫");
    form.set("image", new Blob([Buffer.from([0x89, 0x50, 0x4e, 0x47])], { type: "image/png" }), "cat.png");
    const res = await post(`${upstream.url}/v1/images/compositions`, { Authorization: "Bearer k" }, form, new AbortController().signal);
    await res.text(100);
    const { headers, body } = upstream.received.at(-1) ?? { headers: {}, body: Buffer.alloc(0) };
    const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(headers["content-type"] ?? "")?.[1];
    expect(boundary).toBeDefined();
    expect(Number(headers["content-length"])).toBe(body.length);
    const text = body.toString("latin1");
    expect(text).toContain(`--${boundary}`);
    expect(body.toString("utf8")).toContain('name="prompt"\r\n\r\n一只猫');
    expect(text).toContain('name="image"; filename="cat.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG');
  });

  it("reads a stream chunk by chunk, and leaving early closes the connection", async () => {
    upstream.handler = (_req, _body, res) => {
      res.writeHead(200, { "Content-Type": "text/event-stream" });
      res.write('data: {"id":"a"}\n\n'); // and the stream stays open
    };
    const closedBefore = upstream.closed;
    const res = await post(upstream.url, {}, "{}", new AbortController().signal);
    let first = "";
    for await (const chunk of res.chunks()) {
      first = Buffer.from(chunk).toString();
      break;
    }
    expect(first).toBe('data: {"id":"a"}\n\n');
    await eventually(() => upstream.closed > closedBefore);
  });
});
