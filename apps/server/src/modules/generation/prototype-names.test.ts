import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/app.js";
import { createTestUser, pointsOf, type TestUser } from "../../test/fixtures.js";
import { bananaRequest, fastTuning, soraRequest } from "../../test/generation.js";
import { captureLog, type CapturedLog } from "../../test/log-capture.js";

/** Names every plain object inherits: a catalogue lookup by a requested name must never find them. */
const inheritedNames = [
  "__proto__",
  "toString",
  "constructor",
  "valueOf",
  "isPrototypeOf",
  "__defineGetter__",
  "hasOwnProperty",
  "propertyIsEnumerable",
];

/** Option fields the contract caps at 16 characters: a longer name is refused there, as VALIDATION. */
const capped16 = (code: string) => (name: string) => (name.length > 16 ? "VALIDATION" : code);
const always = (code: string) => () => code;

/** Every catalogue lookup a request reaches: [path, body with the name in one field, expected code]. */
const lookups: Array<[string, string, (name: string) => Record<string, unknown>, (name: string) => string]> = [
  ["banana model", "/api/proxy/banana", (name) => ({ ...bananaRequest, model: name }), always("MODEL_UNKNOWN")],
  ["banana imageSize", "/api/proxy/banana", (name) => ({ ...bananaRequest, imageSize: name }), capped16("OPTION_UNSUPPORTED")],
  ["banana aspectRatio", "/api/proxy/banana", (name) => ({ ...bananaRequest, aspectRatio: name }), capped16("OPTION_UNSUPPORTED")],
  ["sora model", "/api/proxy/sora", (name) => ({ ...soraRequest, model: name }), always("MODEL_UNKNOWN")],
  ["sora aspectRatio", "/api/proxy/sora", (name) => ({ ...soraRequest, aspectRatio: name }), capped16("OPTION_UNSUPPORTED")],
  ["sora size", "/api/proxy/sora", (name) => ({ ...soraRequest, size: name }), capped16("OPTION_UNSUPPORTED")],
  // The contract takes sora's duration as a number: a name is refused before the catalogue.
  ["sora duration", "/api/proxy/sora", (name) => ({ ...soraRequest, duration: name }), always("VALIDATION")],
  ["jimeng image model", "/api/proxy/jimeng/image", (name) => ({ prompt: "p", model: name }), always("MODEL_UNKNOWN")],
  ["jimeng image ratio", "/api/proxy/jimeng/image", (name) => ({ prompt: "p", ratio: name }), always("OPTION_UNSUPPORTED")],
  ["jimeng image resolution", "/api/proxy/jimeng/image", (name) => ({ prompt: "p", resolution: name }), always("OPTION_UNSUPPORTED")],
  ["jimeng video model", "/api/proxy/jimeng/create", (name) => ({ prompt: "p", model: name }), always("MODEL_UNKNOWN")],
  ["jimeng video ratio", "/api/proxy/jimeng/create", (name) => ({ prompt: "p", ratio: name }), always("OPTION_UNSUPPORTED")],
  ["jimeng video resolution", "/api/proxy/jimeng/create", (name) => ({ prompt: "p", resolution: name }), always("OPTION_UNSUPPORTED")],
  ["jimeng video duration", "/api/proxy/jimeng/create", (name) => ({ prompt: "p", duration: name }), always("OPTION_UNSUPPORTED")],
];
const cases = lookups.flatMap(([what, path, body, code]) =>
  inheritedNames.map((name) => [what, name, path, body(name), code(name)] as const),
);

let app: TestApp;
let log: CapturedLog;
let user: TestUser;
beforeAll(async () => {
  log = captureLog("info");
  // Every request here is refused before any upstream call: the providers only need to be configured.
  const nowhere = "http://127.0.0.1:9";
  app = await startTestApp(
    { GRSAI_BASE_URL: nowhere, GRSAI_API_KEY: "k", JIMENG_BASE_URL: nowhere, JIMENG_API_KEY: "k" },
    { tuning: fastTuning, logger: log.logger },
  );
  user = await createTestUser(app.deps, { points: 100 });
});
afterAll(() => app.close());

describe("names that every object inherits, as model or option values", () => {
  it.each(cases)("%s %s is refused as unknown, without charging or an error log", async (_what, _name, path, body, code) => {
    const res = await app.post(path, body, user.headers);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "failed", code, msg: expect.any(String) });
    expect(await pointsOf(app.deps, user.id)).toBe(100);
    expect(log.lines().filter((line) => line.level === "error")).toEqual([]);
  });

  it.each(inheritedNames)("%s as a model over tRPC is a client error, not 500", async (name) => {
    const res = await app.post("/trpc/bananaCreate", { ...bananaRequest, model: name }, user.headers);
    expect(res.status).toBeLessThan(500);
    expect(res.body.error.data.failure).toMatchObject({ status: "failed", code: "MODEL_UNKNOWN" });
  });
});
