import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../errors/app-error.js";
import { toFailure } from "../errors/transport.js";
import { appRouter } from "../router.js";
import { startTestApp, type TestApp } from "../test/app.js";
import { startFakeUpstream, type FakeUpstream } from "../test/fake-upstream.js";
import { allProvidersAt, fastTuning, soraRequest } from "../test/generation.js";
import { createTestUser, pointsOf, type TestUser } from "../test/fixtures.js";
import { createCallerFactory, createContextInner } from "../trpc.js";
import type { OperationRule } from "./rule.js";

/** What the rule saw: each call's operation and, for an operation that needs the session, its user. */
const seen: Array<{ operation: string; userId: number | undefined }> = [];
let refusing = false;
const auditAndRefuse: OperationRule = ({ op, user }) => {
  seen.push({ operation: op.name, userId: user?.id });
  if (refusing) throw new AppError("FORBIDDEN", "测试规则：拒绝");
};

let upstream: FakeUpstream;
let app: TestApp;
let user: TestUser;
beforeAll(async () => {
  // Every provider configured (its answers do not matter here): without the rule, each call would go on to charge and submit.
  upstream = await startFakeUpstream();
  app = await startTestApp(
    { ...allProvidersAt(upstream), SORA_WAIT_SECONDS: "1" },
    { operationRules: [auditAndRefuse], tuning: fastTuning },
  );
  user = await createTestUser(app.deps, { points: 100 });
});
afterAll(async () => {
  await app.close();
  await upstream.close();
});

interface WayIn {
  name: string;
  operation: string;
  /** The failure code of the answer, or "ok" for a successful one. */
  call(): Promise<string>;
}

async function restCode(res: Response): Promise<string> {
  expect(res.status).toBe(200);
  const text = await res.text();
  const body = JSON.parse(text) as { status: string; code?: string };
  return body.status === "failed" ? (body.code as string) : "ok";
}

async function trpcCode(res: Response): Promise<string> {
  const body = (await res.json()) as unknown;
  const one = (Array.isArray(body) ? body[0] : body) as { error?: { data: { failure: { code: string } } } };
  return one.error ? one.error.data.failure.code : "ok";
}

/** Every transport into an operation, for this user: each must run the app's rules. */
const waysIn = (user: TestUser): WayIn[] => {
  const json = () => ({ "content-type": "application/json", ...user.headers });
  return [
    {
      name: "a tRPC procedure called in-process (createCaller)",
      operation: "getHistory",
      async call() {
        const caller = createCallerFactory(appRouter)(
          createContextInner(app.deps, {
            requestId: "t",
            ip: "127.0.0.1",
            email: user.email,
            deviceId: user.deviceId,
            log: app.deps.logger,
          }),
        );
        try {
          await caller.getHistory({});
          return "ok";
        } catch (error) {
          return toFailure(error).code;
        }
      },
    },
    {
      name: "tRPC's own handler (a batch, which the fast path leaves to it)",
      operation: "heartbeat",
      call: async () =>
        trpcCode(
          await fetch(`${app.url}/trpc/heartbeat?batch=1`, {
            method: "POST",
            headers: json(),
            body: JSON.stringify({ 0: { email: user.email } }),
          }),
        ),
    },
    {
      name: "the fast /trpc path",
      operation: "heartbeat",
      call: async () =>
        trpcCode(
          await fetch(`${app.url}/trpc/heartbeat`, { method: "POST", headers: json(), body: JSON.stringify({ email: user.email }) }),
        ),
    },
    {
      name: "the fast REST path",
      operation: "heartbeat",
      call: async () =>
        restCode(
          await fetch(`${app.url}/api/user/heartbeat`, { method: "POST", headers: json(), body: JSON.stringify({ email: user.email }) }),
        ),
    },
    {
      name: "the REST dispatcher behind express (a chunked body, which the fast path leaves to express)",
      operation: "heartbeat",
      call: async () =>
        restCode(
          await fetch(`${app.url}/api/user/heartbeat`, {
            method: "POST",
            headers: json(),
            body: new Blob([JSON.stringify({ email: user.email })]).stream(),
            duplex: "half",
          } as RequestInit),
        ),
    },
    {
      name: "the held route (sora)",
      operation: "soraCreate",
      call: async () =>
        restCode(
          await fetch(`${app.url}/api/proxy/sora`, {
            method: "POST",
            headers: json(),
            body: JSON.stringify(soraRequest),
          }),
        ),
    },
    {
      name: "the multipart route (jimeng image)",
      operation: "jimengImageCreate",
      async call() {
        const form = new FormData();
        form.set("prompt", "a cat");
        return restCode(await fetch(`${app.url}/api/proxy/jimeng/image`, { method: "POST", headers: user.headers, body: form }));
      },
    },
  ];
};

describe("a rule added to the pipeline", () => {
  it("runs on every way in, after the session check, with the operation and its caller", async () => {
    refusing = false;
    for (const way of waysIn(user)) {
      seen.length = 0;
      const code = await way.call();
      expect(code, way.name).not.toBe("FORBIDDEN");
      expect(seen, way.name).toEqual([{ operation: way.operation, userId: way.operation === "heartbeat" ? undefined : user.id }]);
    }
  });

  it("refuses on every way in when it throws, and nothing is charged or started", async () => {
    const refused = await createTestUser(app.deps, { points: 100 });
    const submitted = upstream.requests.length;
    refusing = true;
    try {
      for (const way of waysIn(refused)) expect(await way.call(), way.name).toBe("FORBIDDEN");
    } finally {
      refusing = false;
    }
    expect(await pointsOf(app.deps, refused.id)).toBe(100);
    expect(await app.deps.db.selectFrom("tasks").select("id").where("user_id", "=", refused.id).execute()).toEqual([]);
    expect(upstream.requests.length).toBe(submitted);
  });

  it("is not run for a call that fails the session check", async () => {
    seen.length = 0;
    const res = await fetch(`${app.url}/api/user/history`, { headers: { ...user.headers, "x-device-id": "someone-else" } });
    expect(await restCode(res)).toBe("UNAUTHENTICATED");
    expect(seen).toEqual([]);
  });
});
