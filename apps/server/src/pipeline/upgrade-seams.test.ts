import { IncomingMessage, ServerResponse, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { initTRPC, TRPCError } from "@trpc/server";
import * as trpcCore from "@trpc/server/unstable-core-do-not-import";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";

/*
 * The private corners of express and tRPC this server leans on, each pinned here with a message
 * that says what to change when an upgrade moves it (docs/architecture.md, "Upgrading express,
 * tRPC or trpc-to-openapi"). The behaviour built on them is tested elsewhere against the real
 * thing (http/fast-trpc.test.ts, http/rest.test.ts compare answers byte for byte); these say why.
 */

describe("tRPC (trpc.ts, http/fast-trpc.ts)", () => {
  it("takes a middleware's own { ok: true, data } as the call's result, without next() (trpc.ts: pipelineStep)", async () => {
    const t = initTRPC.create();
    let resolverRan = false;
    const answered = t.procedure
      .use(
        async ({ next: _next }) =>
          ({ ok: true, data: "from the middleware", marker: "middlewareMarker" }) as unknown as Awaited<ReturnType<typeof _next>>,
      )
      .query(() => {
        resolverRan = true;
        return "from the resolver";
      });
    const caller = t.createCallerFactory(t.router({ answered }))({});
    await expect(
      caller.answered(),
      "tRPC no longer answers a middleware's own result: trpc.ts's pipelineStep must call next() with the data",
    ).resolves.toBe("from the middleware");
    expect(resolverRan, "tRPC ran the resolver after a middleware answered: trpc.ts's answeredByThePipeline would run").toBe(false);
  });

  it("exports the error and response helpers the fast /trpc path answers with (unstable-core-do-not-import)", () => {
    for (const name of ["getErrorShape", "getHTTPStatusCode", "getTRPCErrorFromUnknown", "transformTRPCResponse"] as const) {
      expect(
        typeof trpcCore[name],
        `@trpc/server/unstable-core-do-not-import no longer exports ${name}: http/fast-trpc.ts must be rewritten or removed`,
      ).toBe("function");
    }
    const t = initTRPC.create({ errorFormatter: ({ shape }) => ({ ...shape, ours: true }) });
    const config = t.router({})._def._config as unknown as { errorFormatter?: unknown; transformer?: unknown };
    expect(
      typeof config.errorFormatter,
      "a router's _def._config no longer carries its errorFormatter: http/fast-trpc.ts reads it there",
    ).toBe("function");
    expect(config.transformer, "a router's _def._config no longer carries its transformer: http/fast-trpc.ts reads it there").toBeDefined();
    const error = trpcCore.getTRPCErrorFromUnknown(new TRPCError({ code: "BAD_REQUEST", message: "m" }));
    expect(trpcCore.getHTTPStatusCode([{ error: { code: -32600 } }] as never, [error]), "getHTTPStatusCode changed its arguments").toBe(
      400,
    );
  });
});

describe("express (http/fast-rest.ts)", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it("routes every request of app.listen through app.handle, so the fast path installed there sees it", async () => {
    const app = express();
    const internals = app as unknown as { handle: (req: IncomingMessage, res: ServerResponse, next?: unknown) => void };
    const original = internals.handle.bind(app);
    const seen: string[] = [];
    internals.handle = (req, res, next) => {
      seen.push(req.url ?? "");
      original(req, res, next);
    };
    app.get("/ping", (_req, res) => void res.send("pong"));
    server = app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server?.once("listening", resolve));
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/ping`);
    expect(await res.text()).toBe("pong");
    expect(seen, "express's app.listen no longer calls app.handle: installFastRest must wrap the app another way").toEqual(["/ping"]);
  });

  it("keeps its request and response prototypes on the app, over node's own (the fast path lends them to express's error handler)", () => {
    const app = express() as unknown as { request: object; response: object };
    expect(
      app.request instanceof IncomingMessage,
      "app.request no longer extends IncomingMessage: failInExpress in fast-rest.ts cannot lend it to a raw request",
    ).toBe(true);
    expect(
      app.response instanceof ServerResponse,
      "app.response no longer extends ServerResponse: failInExpress in fast-rest.ts cannot lend it to a raw response",
    ).toBe(true);
  });

  it("compiles `trust proxy` and `query parser` into the functions the fast path calls", () => {
    const app = express();
    app.set("trust proxy", "loopback");
    const trust = app.get("trust proxy fn") as unknown;
    const parse = app.get("query parser fn") as unknown;
    expect(
      typeof trust,
      'express no longer keeps "trust proxy fn": fast-rest.ts must compile TRUST_PROXY itself (proxy-addr.compile)',
    ).toBe("function");
    expect((trust as (address: string, hop: number) => boolean)("127.0.0.1", 0)).toBe(true);
    expect((trust as (address: string, hop: number) => boolean)("203.0.113.9", 0)).toBe(false);
    expect(typeof parse, 'express no longer keeps "query parser fn": fast-rest.ts must parse query strings as express does').toBe(
      "function",
    );
    expect((parse as (query: string) => unknown)("a=1&b=x")).toEqual({ a: "1", b: "x" });
  });
});
