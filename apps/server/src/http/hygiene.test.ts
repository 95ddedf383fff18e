import { connect } from "node:net";
import { errorMessages } from "@ocean1/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../test/app.js";
import { createTestUser } from "../test/fixtures.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

function nested(depth: number): string {
  return `{"email":${"[".repeat(depth)}${"]".repeat(depth)}}`;
}

/** A tRPC error answer, as far as these tests read it. */
interface TRPCError {
  error: { message: string; data: { failure: unknown } };
}

describe("HTTP hygiene", () => {
  it("sends the usual security headers on API answers and on /docs", async () => {
    for (const path of ["/healthz", "/api/auth/send_code", "/docs"]) {
      const res = await fetch(`${app.url}${path}`);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(res.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    }
  });

  it("keeps /docs working within its CSP: only local scripts, its styles allowed", async () => {
    const res = await fetch(`${app.url}/docs`);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).toMatch(/style-src 'self' https: 'unsafe-inline'/);
    const html = await res.text();
    for (const asset of html.match(/(?:src|href)="([^"]+)"/g) ?? []) {
      const url = asset.replace(/^(?:src|href)="|"$/g, "");
      expect(url.startsWith("/")).toBe(true);
      expect((await fetch(`${app.url}${url}`)).status).toBe(200);
    }
  });

  it("answers a path under /api that is no documented operation with HTTP 404 and the failure body", async () => {
    for (const res of [await app.post("/api/auth/logn", {}), await app.get("/api/nothing/here"), await app.get("/api/auth/login")]) {
      expect(res).toEqual({ status: 404, body: { status: "failed", code: "NOT_FOUND", msg: "接口不存在" } });
    }
  });

  it("answers malformed JSON with HTTP 200 on every spelling of an /api path that reaches an operation", async () => {
    for (const path of ["/API/user/heartbeat", "/x/../api/user/heartbeat", "/api/user/heartbeat/"]) {
      const res = await app.post(path, '{"email":');
      expect(res).toEqual({ status: 200, body: { status: "failed", code: "MALFORMED_JSON", msg: errorMessages.MALFORMED_JSON } });
    }
  });

  it("answers request-targets that are no URL (*, a bad port or host) and lives on: 404, or CORS's 204 to OPTIONS", async () => {
    const { port } = new URL(app.url);
    // The last one express's router cannot read at all: its own 404 page.
    const targets = { "OPTIONS *": 204, "GET *": 404, "GET http://h:99999/api/user/history": 404, "GET http://[::1/x": 404 };
    for (const [target, status] of Object.entries(targets)) {
      const answer = await new Promise<string>((resolve, reject) => {
        let text = "";
        const socket = connect(Number(port), "127.0.0.1", () => socket.end(`${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
        socket.on("data", (chunk: Buffer) => (text += chunk.toString()));
        socket.on("end", () => resolve(text));
        socket.on("error", reject);
      });
      expect(answer.slice(0, 12), target).toBe(`HTTP/1.1 ${status}`);
      if (target.includes("/api/")) expect(answer, target).toContain('"code":"NOT_FOUND"');
    }
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it("refuses JSON nested 5,000 deep as malformed input on /api, with HTTP 200", async () => {
    const res = await app.post("/api/auth/send_code", nested(5_000));
    expect(res).toEqual({ status: 200, body: { status: "failed", code: "MALFORMED_JSON", msg: expect.stringMatching(/[\u4e00-\u9fff]/) } });
  });

  it("refuses deep or malformed JSON on /trpc, in a body or in ?input=, with tRPC's error envelope and HTTP 400", async () => {
    const malformed = {
      error: {
        message: errorMessages.MALFORMED_JSON,
        code: -32700,
        data: {
          code: "PARSE_ERROR",
          httpStatus: 400,
          failure: { status: "failed", code: "MALFORMED_JSON", msg: errorMessages.MALFORMED_JSON },
        },
      },
    };
    expect(await app.post("/trpc/sendCode", nested(5_000))).toEqual({ status: 400, body: malformed });
    expect(await app.post("/trpc/sendCode", "{not json")).toEqual({ status: 400, body: malformed });
    // 1,000 deep: 5,000 would pass the header size limit and never reach the app (HTTP 431).
    const deepQuery = await app.get(`/trpc/getHistory?input=${encodeURIComponent(`{"limit":${"[".repeat(1_000)}${"]".repeat(1_000)}}`)}`);
    expect(deepQuery).toEqual({ status: 400, body: malformed });
    const large = await app.post("/trpc/sendCode", { email: "a@example.com", padding: "x".repeat(1_100_000) });
    expect(large.status).toBe(413);
    expect(large.body).toMatchObject({
      error: { data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413, failure: { code: "PAYLOAD_TOO_LARGE" } } },
    });
  });

  it("refuses a tRPC batch over 20 calls with a clear failure, and runs one of 20", async () => {
    const user = await createTestUser(app.deps);
    // The inputs of 1,000 calls would not fit in a URL; the size is refused before any input is read.
    const batch = (n: number) => {
      const input =
        n <= 20 ? `&input=${encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, {}]))))}` : "";
      return fetch(`${app.url}/trpc/${Array.from({ length: n }, () => "getHistory").join(",")}?batch=1${input}`, { headers: user.headers });
    };
    const big = await batch(1_000);
    expect(big.status).toBe(400);
    const body = (await big.json()) as TRPCError | TRPCError[];
    const error = (Array.isArray(body) ? body[0] : body)?.error;
    expect(error?.message).toBe("一次批量调用最多 20 个操作");
    expect(error?.data.failure).toMatchObject({ code: "VALIDATION" });
    const ok = await batch(20);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as unknown[]).length).toBe(20);
  });
});
