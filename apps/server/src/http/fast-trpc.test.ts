import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trpcMiddleware } from "../app.js";
import { startTestApp, type TestApp } from "../test/app.js";
import { createTestUser, testPassword, type TestUser } from "../test/fixtures.js";
import { answerTo, startReferenceServer, type Probe, type ReferenceServer } from "../test/reference-server.js";

let app: TestApp;
let reference: ReferenceServer;
let user: TestUser;
beforeAll(async () => {
  // A list of origins, as in production: CORS then sets `Vary: Origin`, which tRPC's own answer replaces.
  app = await startTestApp({ CORS_ORIGINS: "https://app.example.com" });
  // createApp's middleware in front of /trpc and tRPC's own express handler, without the fast path.
  reference = await startReferenceServer(app.deps, (ref, createContext) => ref.use("/trpc", trpcMiddleware(createContext)));
  user = await createTestUser(app.deps, { points: 7 });
});
afterAll(async () => {
  await reference.close();
  await app.close();
});

/** The answer without its framing: tRPC streams its body (chunked), the fast path sends a Content-Length. */
const answer = async (base: string, probe: Probe) => {
  const { contentLength, ...rest } = await answerTo(base, probe, ["content-length", "transfer-encoding"]);
  return { ...rest, framing: contentLength ? "length" : "chunked" };
};

const input = (value: unknown) => `?input=${encodeURIComponent(JSON.stringify(value))}`;

describe("the fast /trpc path", () => {
  const json = { "content-type": "application/json" };
  const auth = () => ({ ...json, ...user.headers });
  /** [name, probe, whether the fast path answers it (the others are left to tRPC's own handler)] */
  const probes = (): Array<[string, () => Probe, boolean]> => [
    [
      "a heartbeat",
      () => ({ method: "POST", path: "/trpc/heartbeat", headers: auth(), body: JSON.stringify({ email: user.email }) }),
      true,
    ],
    [
      "a heartbeat of another device",
      () => ({
        method: "POST",
        path: "/trpc/heartbeat",
        headers: { ...auth(), "x-device-id": "another-device" },
        body: JSON.stringify({ email: user.email }),
      }),
      true,
    ],
    [
      "a heartbeat from the server's device id",
      () => ({
        method: "POST",
        path: "/trpc/heartbeat",
        headers: { ...auth(), "x-device-id": "server" },
        body: JSON.stringify({ email: user.email }),
      }),
      true,
    ],
    [
      "a heartbeat without a session",
      () => ({ method: "POST", path: "/trpc/heartbeat", headers: json, body: JSON.stringify({ email: user.email }) }),
      true,
    ],
    [
      "a heartbeat with a wrong field type",
      () => ({ method: "POST", path: "/trpc/heartbeat", headers: auth(), body: JSON.stringify({ email: 7 }) }),
      true,
    ],
    ["an empty JSON body", () => ({ method: "POST", path: "/trpc/heartbeat", headers: auth(), body: "" }), true],
    ["a body that is an array", () => ({ method: "POST", path: "/trpc/login", headers: json, body: "[1,2]" }), true],
    [
      "a login with a wrong password",
      () => ({
        method: "POST",
        path: "/trpc/login",
        headers: json,
        body: JSON.stringify({ email: user.email, password: "wrong password", device_id: "some-device-1" }),
      }),
      true,
    ],
    [
      "a login with charset in the content type",
      () => ({
        method: "POST",
        path: "/trpc/login",
        headers: { "content-type": "application/json; charset=utf-8" },
        body: JSON.stringify({ email: user.email, password: `${testPassword}!`, device_id: "some-device-2" }),
      }),
      true,
    ],
    ["the history", () => ({ method: "GET", path: "/trpc/getHistory", headers: user.headers }), true],
    ["the history with an input", () => ({ method: "GET", path: `/trpc/getHistory${input({ limit: 1 })}`, headers: user.headers }), true],
    ["the history with an empty input", () => ({ method: "GET", path: "/trpc/getHistory?input=", headers: user.headers }), true],
    [
      "the history with a wrong input",
      () => ({ method: "GET", path: `/trpc/getHistory${input({ limit: "x" })}`, headers: user.headers }),
      true,
    ],
    ["the history without a session", () => ({ method: "GET", path: "/trpc/getHistory" }), true],
    [
      "the history with an input nested too deep",
      () => ({ method: "GET", path: `/trpc/getHistory?input=${"[".repeat(40)}${"]".repeat(40)}`, headers: user.headers }),
      false, // refused by express's error handler, on either path
    ],
    ["the task list", () => ({ method: "GET", path: `/trpc/listTasks${input({})}`, headers: user.headers }), true],
    ["an unknown task", () => ({ method: "POST", path: "/trpc/queryResult", headers: auth(), body: JSON.stringify({ id: "nope" }) }), true],
    [
      "a cross-origin heartbeat",
      () => ({
        method: "POST",
        path: "/trpc/heartbeat",
        headers: { ...auth(), origin: "https://app.example.com" },
        body: JSON.stringify({ email: user.email }),
      }),
      true,
    ],
    [
      "a cross-origin heartbeat from an origin not on the list",
      () => ({
        method: "POST",
        path: "/trpc/heartbeat",
        headers: { ...auth(), origin: "https://evil.example" },
        body: JSON.stringify({ email: user.email }),
      }),
      true,
    ],
    [
      "the history asked for with a JSON content type",
      () => ({ method: "GET", path: "/trpc/getHistory", headers: { ...user.headers, ...json } }),
      true,
    ],
    [
      "numbers that JSON does not write back (1e400, -0)",
      () => ({
        method: "POST",
        path: "/trpc/soraCreate",
        headers: auth(),
        body: '{"model":"sora-2","prompt":"x","aspectRatio":"16:9","duration":1e400,"size":-0}',
      }),
      true,
    ],
    [
      "a heartbeat to an invalid Host",
      () => ({
        method: "POST",
        path: "/trpc/heartbeat",
        headers: { ...auth(), host: "[::1" },
        body: JSON.stringify({ email: user.email }),
      }),
      false,
    ],
    [
      "the history from an invalid Host",
      () => ({ method: "GET", path: "/trpc/getHistory", headers: { ...user.headers, host: "a b" } }),
      false,
    ],
    [
      "an input cut by a fragment",
      () => ({ method: "GET", path: `/trpc/getHistory?input=%7B%22limit%22%3A1%2C%22x%22%3A%22#%22%7D`, headers: user.headers }),
      false,
    ],
    [
      "a GET with a form content type",
      () => ({ method: "GET", path: "/trpc/getHistory", headers: { ...user.headers, "content-type": "multipart/form-data" } }),
      false,
    ],
    [
      "a GET with an octet-stream content type",
      () => ({ method: "GET", path: "/trpc/getHistory", headers: { ...user.headers, "content-type": "application/octet-stream" } }),
      false,
    ],
    ["malformed JSON", () => ({ method: "POST", path: "/trpc/heartbeat", headers: auth(), body: "{nope" }), false],
    [
      "JSON nested too deep",
      () => ({ method: "POST", path: "/trpc/heartbeat", headers: auth(), body: `${"[".repeat(40)}${"]".repeat(40)}` }),
      false,
    ],
    ["an input that is not JSON", () => ({ method: "GET", path: "/trpc/getHistory?input=%7Bnope", headers: user.headers }), false],
    [
      "a second query parameter",
      () => ({ method: "GET", path: `/trpc/getHistory${input({ limit: 1 })}&x=1`, headers: user.headers }),
      false,
    ],
    [
      "a batch of one",
      () => ({ method: "POST", path: "/trpc/heartbeat?batch=1", headers: auth(), body: JSON.stringify({ 0: { email: user.email } }) }),
      false,
    ],
    ["GET on a mutation", () => ({ method: "GET", path: "/trpc/heartbeat", headers: user.headers }), false],
    ["POST on a query", () => ({ method: "POST", path: "/trpc/getHistory", headers: auth(), body: "{}" }), false],
    [
      "a text/plain body",
      () => ({ method: "POST", path: "/trpc/heartbeat", headers: { ...user.headers, "content-type": "text/plain" }, body: "{}" }),
      false,
    ],
    ["an unknown procedure", () => ({ method: "POST", path: "/trpc/nothing", headers: json, body: "{}" }), false],
    [
      "a streaming accept header",
      () => ({ method: "GET", path: "/trpc/getHistory", headers: { ...user.headers, "trpc-accept": "application/jsonl" } }),
      false,
    ],
  ];

  it.each(probes().map(([name], i) => [name, i] as const))("answers %s as tRPC's own handler does", async (_name, i) => {
    const [, make, fast] = probes()[i] ?? [];
    if (!make) throw new Error("no probe");
    const probe = make();
    const { framing: expectedFraming, ...expected } = await answer(reference.url, probe);
    const { framing, ...actual } = await answer(app.url, probe);
    expect(actual).toEqual(expected);
    // tRPC's handler streams its body: a Content-Length where it streams tells that the fast path answered.
    if (fast) expect([expectedFraming, framing]).toEqual(["chunked", "length"]);
    else expect(framing).toBe(expectedFraming);
  });

  it("answers a call with the same document as its REST path, wrapped as tRPC wraps a result", async () => {
    const call = (path: string) =>
      fetch(`${app.url}${path}`, { method: "POST", headers: auth(), body: JSON.stringify({ email: user.email }) }).then((res) =>
        res.json(),
      );
    const [overTrpc, overRest] = await Promise.all([call("/trpc/heartbeat"), call("/api/user/heartbeat")]);
    expect(overRest).toMatchObject({ status: "ok" });
    expect(overTrpc).toEqual({ result: { data: overRest } });
  });
});
