import { operations, type FailureResponse } from "@ocean1/contract";
import type express from "express";
import type { Request, Response } from "express";
import { createOpenApiNodeHttpHandler } from "trpc-to-openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toFailure } from "../errors/transport.js";
import { buildOpenApiDocument } from "../openapi.js";
import { appRouter } from "../router.js";
import { moduleRoutes } from "../routes.js";
import { startTestApp, type TestApp } from "../test/app.js";
import { createTestUser, type TestUser } from "../test/fixtures.js";
import { answerTo, startReferenceServer, type Probe, type ReferenceServer } from "../test/reference-server.js";
import type { Context } from "../trpc.js";
import { logFailure } from "./failures.js";
import { restRoutes } from "./rest-routes.js";

/** The REST path as it was served before the lean dispatcher: trpc-to-openapi's own adapter, its error bodies replaced by ours. */
function adapterRestApi(createContext: (req: Request, res: Response) => Context) {
  const failures = new WeakMap<object, FailureResponse>();
  const handle = createOpenApiNodeHttpHandler({
    router: appRouter,
    createContext: ({ req, res }) => createContext(req as Request, res as Response),
    responseMeta: ({ errors }) => (errors.length > 0 ? { status: 200 } : {}),
    onError: ({ error, req, path }) => {
      const failure = toFailure(error);
      failures.set(req, failure);
      logFailure((req as Request).res as Response, error, failure, path);
    },
    maxBodySize: 1_000_000,
  });
  return (req: Request, res: Response, next: express.NextFunction) => {
    const end = res.end;
    res.end = function (this: Response, chunk?: unknown, ...rest: unknown[]) {
      const failure = failures.get(req);
      return (end as (...args: unknown[]) => Response).call(this, failure ? JSON.stringify(failure) : chunk, ...rest);
    } as Response["end"];
    return handle(req, res, next);
  };
}

let app: TestApp;
let reference: ReferenceServer;
let user: TestUser;
beforeAll(async () => {
  app = await startTestApp();
  const { deps } = app;
  // createApp's middleware in front of /api, with the adapter where the dispatcher now is.
  reference = await startReferenceServer(deps, (ref, createContext) => {
    for (const routes of moduleRoutes) ref.use(routes(createContext));
    ref.use(adapterRestApi(createContext));
  });
  user = await createTestUser(app.deps, { points: 7 });
});
afterAll(async () => {
  await reference.close();
  await app.close();
});

async function answer(base: string, probe: Probe) {
  const { contentLength: _length, ...rest } = await answerTo(base, probe);
  return rest;
}

describe("the REST dispatcher", () => {
  const json = { "content-type": "application/json" };
  const auth = () => ({ ...json, ...user.headers });
  const probes = (): Array<[string, () => Probe]> => [
    ["a heartbeat", () => ({ method: "POST", path: "/api/user/heartbeat", headers: auth(), body: JSON.stringify({ email: user.email }) })],
    [
      "a heartbeat of another device",
      () => ({
        method: "POST",
        path: "/api/user/heartbeat",
        headers: { ...auth(), "x-device-id": "another-device" },
        body: JSON.stringify({ email: user.email }),
      }),
    ],
    [
      "a heartbeat with charset and upper-case path",
      () => ({
        method: "POST",
        path: "/API/User/Heartbeat/",
        headers: { ...auth(), "content-type": "application/json; charset=utf-8" },
        body: JSON.stringify({ email: user.email }),
      }),
    ],
    [
      "a heartbeat through a dot segment",
      () => ({ method: "POST", path: "/api/user/../user/heartbeat", headers: auth(), body: JSON.stringify({ email: user.email }) }),
    ],
    ["the history", () => ({ method: "GET", path: "/api/user/history", headers: user.headers })],
    [
      "the history with limit and before as query strings",
      () => ({ method: "GET", path: "/api/user/history?limit=1&before=999999", headers: user.headers }),
    ],
    [
      "the history with a limit that is not a number",
      () => ({ method: "GET", path: "/api/user/history?limit=abc", headers: user.headers }),
    ],
    [
      "the history with an empty and a repeated key",
      () => ({ method: "GET", path: "/api/user/history?limit=&before=3&before=4", headers: user.headers }),
    ],
    [
      "the history with a deep ?input=, its key percent-encoded",
      () => ({ method: "GET", path: `/api/user/history?%69nput=${"[".repeat(40)}${"]".repeat(40)}`, headers: user.headers }),
    ],
    ["the history without a session", () => ({ method: "GET", path: "/api/user/history" })],
    [
      "the history with a device id of the server",
      () => ({ method: "GET", path: "/api/user/history", headers: { ...user.headers, "x-device-id": "server" } }),
    ],
    [
      "a redeem of an unknown key",
      () => ({
        method: "POST",
        path: "/api/pay/redeem",
        headers: auth(),
        body: JSON.stringify({ email: user.email, card_key: "NOPE-NOPE" }),
      }),
    ],
    [
      "a login with a wrong field type",
      () => ({ method: "POST", path: "/api/auth/login", headers: json, body: JSON.stringify({ email: 7, password: "x" }) }),
    ],
    ["a body that is an array", () => ({ method: "POST", path: "/api/auth/login", headers: json, body: "[1,2]" })],
    ["an empty JSON body", () => ({ method: "POST", path: "/api/user/heartbeat", headers: auth(), body: "" })],
    ["malformed JSON", () => ({ method: "POST", path: "/api/user/heartbeat", headers: auth(), body: "{nope" })],
    [
      "JSON nested too deep",
      () => ({ method: "POST", path: "/api/user/heartbeat", headers: auth(), body: `${"[".repeat(40)}${"]".repeat(40)}` }),
    ],
    [
      "a text/plain body",
      () => ({ method: "POST", path: "/api/user/heartbeat", headers: { ...user.headers, "content-type": "text/plain" }, body: "hello" }),
    ],
    ["no content type", () => ({ method: "POST", path: "/api/user/heartbeat", headers: user.headers, body: "{}" })],
    [
      "an application/jsonx body",
      () => ({
        method: "POST",
        path: "/api/user/heartbeat",
        headers: { ...user.headers, "content-type": "application/jsonx" },
        body: "{}",
      }),
    ],
    ["GET on a POST operation", () => ({ method: "GET", path: "/api/user/heartbeat" })],
    ["HEAD on an operation", () => ({ method: "HEAD", path: "/api/user/history" })],
    ["an unknown /api path", () => ({ method: "POST", path: "/api/nope", headers: json, body: "{}" })],
    ["a percent-encoded path", () => ({ method: "POST", path: "/%61pi/user/heartbeat", headers: auth(), body: "{}" })],
    [
      "a cross-origin call",
      () => ({
        method: "POST",
        path: "/api/user/heartbeat",
        headers: { ...auth(), origin: "https://app.example.com" },
        body: JSON.stringify({ email: user.email }),
      }),
    ],
  ];

  it.each(probes().map(([name], i) => [name, i] as const))("answers %s exactly as trpc-to-openapi's adapter did", async (_name, i) => {
    const probe = probes()[i]?.[1]();
    if (!probe) throw new Error("no probe");
    const expected = await answer(reference.url, probe);
    const actual = await answer(app.url, probe);
    expect(actual).toEqual(expected);
  });

  it("serves exactly the operations of the OpenAPI document, each at its contract's method and path", () => {
    const served = [...restRoutes(appRouter).values()].map((route) => `${route.method} ${route.path}`).sort();
    const document = buildOpenApiDocument(appRouter, "1.0.0");
    const documented = Object.entries(document.paths ?? {})
      .flatMap(([path, item]) => Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(served).toEqual(documented);
    for (const route of restRoutes(appRouter).values()) {
      const op = operations[route.name as keyof typeof operations];
      expect(`${op.method} ${op.path}`).toBe(`${route.method} ${route.path}`);
    }
  });
});
