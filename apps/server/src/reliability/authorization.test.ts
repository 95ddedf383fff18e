import { operations } from "@ocean1/contract";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashDeviceId, startSession } from "../modules/auth/sessions.js";
import { startFakeUpstream, type FakeUpstream } from "../test/fake-upstream.js";
import { allProvidersAt } from "../test/generation.js";
import { startTestApp, type TestApp } from "../test/app.js";
import { createTestUser, type TestUser } from "../test/fixtures.js";
import { exampleOf, type OpenApiDocument } from "../test/hostile.js";

/**
 * Every authenticated operation, over REST and over /trpc, called by someone who is not the session's owner: no headers,
 * a wrong device, a device whose session ended (logged in elsewhere), another user's email with my device. Each is
 * refused UNAUTHENTICATED, and nothing is read or changed. Another user's task id is not found.
 */
let fake: FakeUpstream;
let app: TestApp;
let me: TestUser;
let other: TestUser;
let kicked: Record<string, string>;
let othersTask: string;
let doc: OpenApiDocument;
beforeAll(async () => {
  fake = await startFakeUpstream();
  app = await startTestApp(allProvidersAt(fake));
  me = await createTestUser(app.deps, { points: 1_000 });
  other = await createTestUser(app.deps, { points: 1_000 });
  // My old device: its session ended when a new one started elsewhere (one active session per user).
  const elsewhere = "device-elsewhere-0123456789";
  await app.deps.db
    .transaction()
    .execute((trx) => startSession(trx, me.id, hashDeviceId(app.deps.secret, elsewhere), app.deps.clock.now()));
  kicked = me.headers;
  me = { ...me, deviceId: elsewhere, headers: { "x-user-email": me.email, "x-device-id": elsewhere } };
  othersTask = "task-of-the-other-user";
  await sql`insert into tasks (public_id, user_id, kind, provider, endpoint, model, upstream_model, request, status, cost)
    values (${othersTask}, ${other.id}, 'banana', 'grsai', 'grsai', 'banana-v1', 'nano-banana', '{}', 'completed', 4)`.execute(app.deps.db);
  doc = (await app.get("/openapi.json")).body as OpenApiDocument;
});
afterAll(async () => {
  await app?.close();
  await fake?.close();
});

async function snapshot() {
  const { rows } = await sql<Record<string, unknown>>`select
    (select count(*)::int from ledger) as ledger, (select count(*)::int from tasks) as tasks, (select count(*)::int from chat_calls) as chats,
    (select count(*)::int from sessions) as sessions, (select json_agg(points order by id) from users) as points,
    (select json_agg(last_seen_at order by user_id) from sessions) as seen`.execute(app.deps.db);
  return rows[0];
}

const authenticated = Object.entries(operations).filter(([, operation]) => operation.authenticated);

function inputOf(path: string, method: "GET" | "POST"): Record<string, unknown> {
  if (method === "GET") return {};
  const schema = doc.paths[path]?.post?.requestBody?.content?.["application/json"]?.schema;
  const input = (schema ? exampleOf(schema, doc) : {}) as Record<string, unknown>;
  if ("email" in input) input.email = me.email;
  return input;
}

const callers = (): Array<[string, Record<string, string>]> => [
  ["no headers", {}],
  ["a wrong device", { "x-user-email": me.email, "x-device-id": "a-device-never-seen-0123" }],
  ["a device logged in elsewhere since", kicked],
  ["another user's email with my device", { "x-user-email": other.email, "x-device-id": me.deviceId }],
  ["my email with another user's device", { "x-user-email": me.email, "x-device-id": other.deviceId }],
];

describe("every authenticated operation refuses a caller without the active session", () => {
  it("the session headers used below are accepted when they are right (so the refusals are about them)", async () => {
    expect((await app.get("/api/user/history", me.headers)).body).toMatchObject({ status: "success" });
  });

  it.each(authenticated)("%s over REST and /trpc: UNAUTHENTICATED, nothing read or changed", async (name, operation) => {
    const before = await snapshot();
    const input = inputOf(operation.path, operation.method);
    for (const [label, headers] of callers()) {
      const rest = operation.method === "GET" ? await app.get(operation.path, headers) : await app.post(operation.path, input, headers);
      // heartbeat answers an unknown or ended session with `rejected` (the frontend then logs out), by contract.
      const refused =
        name === "heartbeat" ? { status: "rejected" } : { status: "failed", code: "UNAUTHENTICATED", msg: expect.any(String) };
      expect(rest, `${label} REST`).toEqual({ status: 200, body: refused });
      const trpc =
        operation.method === "GET"
          ? await app.get(`/trpc/${name}?input=${encodeURIComponent(JSON.stringify(input))}`, headers)
          : await app.post(`/trpc/${name}`, input, headers);
      if (name === "heartbeat") {
        expect(trpc.body.result?.data, `${label} tRPC`).toEqual({ status: "rejected" });
      } else {
        expect(trpc.status, `${label} tRPC`).toBe(401);
        expect(JSON.stringify(trpc.body), `${label} tRPC`).toContain("UNAUTHENTICATED");
        expect(trpc.body.result, `${label} tRPC`).toBeUndefined();
      }
    }
    expect(await snapshot()).toEqual(before);
    expect(fake.requests).toHaveLength(0);
  });

  it("answers another user's task id as not found, over REST and /trpc, the same as an id that does not exist", async () => {
    const rest = await app.post("/api/proxy/v1/draw/result", { id: othersTask }, me.headers);
    const missing = await app.post("/api/proxy/v1/draw/result", { id: "no-such-task" }, me.headers);
    expect(rest).toEqual(missing);
    expect(rest.body).toMatchObject({ status: "failed", code: "TASK_NOT_FOUND" });
    const trpc = await app.post("/trpc/queryResult", { id: othersTask }, me.headers);
    expect(JSON.stringify(trpc.body)).not.toContain("completed");
    expect(JSON.stringify(trpc.body)).toContain("TASK_NOT_FOUND");
    const list = await app.get(`/api/user/tasks`, me.headers);
    expect(list.body).toEqual({ status: "success", data: [] });
  });
});
