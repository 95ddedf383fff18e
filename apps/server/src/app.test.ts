import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./test/app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ CORS_ORIGINS: "https://app.example.com" });
});
afterAll(() => app.close());

describe("operations endpoints", () => {
  it("answers /healthz and /readyz", async () => {
    expect(await app.get("/healthz")).toEqual({ status: 200, body: { status: "ok" } });
    expect(await app.get("/readyz")).toEqual({ status: 200, body: { status: "ok" } });
  });

  it("serves the interactive reference from local assets", async () => {
    const page = await fetch(`${app.url}/docs`);
    const html = await page.text();
    expect(html).toContain("/docs/assets/swagger-ui-bundle.js");
    expect(html).not.toMatch(/https?:\/\//);
    const bundle = await fetch(`${app.url}/docs/assets/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
  });

  it("sends a CSP without upgrade-insecure-requests, so /docs's scripts load over plain HTTP", async () => {
    for (const path of ["/docs", "/healthz"]) {
      const csp = (await fetch(`${app.url}${path}`)).headers.get("content-security-policy");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain("upgrade-insecure-requests");
    }
  });

  it("puts a request id on every answer, keeping a sane one from the caller", async () => {
    const res = await fetch(`${app.url}/healthz`, { headers: { "x-request-id": "abc-123" } });
    expect(res.headers.get("x-request-id")).toBe("abc-123");
    const other = await fetch(`${app.url}/healthz`, { headers: { "x-request-id": "bad id with spaces" } });
    expect(other.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("CORS", () => {
  it("answers the frontend's preflight with its headers allowed", async () => {
    const res = await fetch(`${app.url}/api/user/history`, {
      method: "OPTIONS",
      headers: {
        Origin: "https://app.example.com",
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "content-type,x-device-id,x-user-email",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    const allowed = res.headers.get("access-control-allow-headers")?.toLowerCase() ?? "";
    for (const header of ["content-type", "x-device-id", "x-user-email"]) expect(allowed).toContain(header);
  });

  it("does not allow an origin outside CORS_ORIGINS", async () => {
    const res = await fetch(`${app.url}/healthz`, { headers: { Origin: "https://evil.example.com" } });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("failures on /api answer HTTP 200 with the documented shape", () => {
  it("refuses malformed JSON", async () => {
    const res = await app.post("/api/auth/login", "{not json");
    expect(res).toEqual({ status: 200, body: { status: "failed", code: "MALFORMED_JSON", msg: expect.stringMatching(/[\u4e00-\u9fff]/) } });
  });

  it("refuses a body over the size limit", async () => {
    const res = await app.post("/api/auth/send_code", { email: "a@example.com", padding: "x".repeat(1_100_000) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "failed", code: "PAYLOAD_TOO_LARGE" });
  });

  it("refuses a body whose compression is corrupt as malformed, not as an internal error", async () => {
    const res = await fetch(`${app.url}/api/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Content-Encoding": "gzip" },
      body: "{}",
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "failed", code: "MALFORMED_JSON" });
  });

  it("refuses a control character in a stored text field with VALIDATION", async () => {
    const res = await app.post("/api/auth/register", {
      email: "nul@example.com",
      password: "long enough",
      nickname: "N\u0000x",
      verify_code: "123456",
    });
    expect(res.body).toEqual({ status: "failed", code: "VALIDATION", field: "nickname", msg: "昵称不能包含不可见字符或控制字符" });
  });

  it("answers an unknown /api path with NOT_FOUND and HTTP 404: it is no outcome of an operation", async () => {
    const res = await app.post("/api/nope", {});
    expect(res).toEqual({ status: 404, body: { status: "failed", code: "NOT_FOUND", msg: expect.any(String) } });
  });

  it("answers an unknown path outside /api with 404", async () => {
    const res = await app.get("/nope");
    expect(res.status).toBe(404);
  });
});

describe("/openapi.json", () => {
  type Answer = { content?: Record<string, { schema?: { oneOf?: unknown[]; $ref?: string } }> };
  const failure = { $ref: "#/components/schemas/FailureResponse" };

  it("documents no answer but 200 (success or FailureResponse) and the 404 FailureResponse of a path not served", async () => {
    const { status, body } = await app.get("/openapi.json");
    expect(status).toBe(200);
    const document = body as {
      paths: Record<string, Record<string, { responses: Record<string, Answer> }>>;
      components: { schemas: object };
    };
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
    expect(operations.length).toBeGreaterThan(10);
    for (const { responses } of operations) {
      expect(Object.keys(responses).sort()).toEqual(["200", "404"]);
      expect(responses["200"]?.content?.["application/json"]?.schema?.oneOf).toContainEqual(failure);
      expect(responses["404"]?.content?.["application/json"]?.schema).toEqual(failure);
    }
    expect(Object.keys(document.components.schemas).filter((name) => name.startsWith("error."))).toEqual([]);
  });
});
