import { createServer, type IncomingHttpHeaders } from "node:http";
import type { OperationName } from "@ocean1/contract";
import express from "express";
import helmet from "helmet";
import { helmetOptions } from "../app.js";
import { createOpenApiNodeHttpHandler } from "trpc-to-openapi";
import { z } from "zod";
import { loadConfig } from "../config.js";
import { corsMiddleware } from "../http/cors.js";
import { verifyJsonDepth } from "../http/json-depth.js";
import { localsOf, requestContext, type RequestLocals } from "../http/request-context.js";
import { installRestApi } from "../http/rest-api.js";
import { systemClock } from "../lib/clock.js";
import { createLogger } from "../logger.js";
import { createContextInner, publicMutation, requestInfo, router } from "../trpc.js";
import type { AppDeps } from "../deps.js";

/**
 * The reference servers of `pnpm bench`, each in a process of its own:
 * `node floors.js <kind> <port>` with kind `bare` (node:http, a constant JSON), `express`
 * (express 5 + express.json() + one route), `trivial-adapter` and `trivial-rest` (a procedure that
 * does nothing behind our middleware, served by trpc-to-openapi's adapter or by our REST dispatcher).
 */
const [kind, portText] = process.argv.slice(2);
const port = Number(portText);
const constant = JSON.stringify({ status: "ok" });

const trivialRouter = router({
  ping: publicMutation(
    {
      name: "ping" as OperationName,
      method: "POST",
      path: "/api/bench/ping",
      summary: "a procedure that does nothing",
      tag: "user",
      authenticated: false,
      clientTimeoutMs: 1_000,
      input: z.object({ email: z.string() }),
      output: z.object({ status: z.literal("ok") }),
    },
    () => ({ status: "ok" as const }),
  ),
});

function trivialApp(dispatch: "adapter" | "rest"): express.Express {
  const config = loadConfig({ LOG_LEVEL: process.env.LOG_LEVEL ?? "info" }, undefined);
  const logger = createLogger(config.logLevel);
  // The procedure reads nothing of these: only the context's shape matters.
  const deps = { config, logger, clock: systemClock, providers: {} } as unknown as AppDeps;
  const contextOf = (ip: string, headers: IncomingHttpHeaders, locals: RequestLocals) =>
    createContextInner(deps, requestInfo(locals, ip, headers));
  const app = express();
  app.disable("x-powered-by");
  // As createApp serves /api.
  const headerMiddleware = [helmet(helmetOptions), corsMiddleware(config)];
  app.use(requestContext(logger));
  for (const middleware of headerMiddleware) app.use(middleware);
  app.use(express.json({ limit: "1mb", verify: verifyJsonDepth }));
  if (dispatch === "rest") {
    installRestApi(app, { router: trivialRouter, logger, headerMiddleware, contextOf, bodyLimit: 1024 * 1024 });
  } else {
    const handle = createOpenApiNodeHttpHandler({
      router: trivialRouter,
      createContext: ({ req, res }) => contextOf((req as express.Request).ip ?? "unknown", req.headers, localsOf(res as express.Response)),
    });
    app.use((req, res, next) => void handle(req, res, next));
  }
  return app;
}

function listen(): void {
  switch (kind) {
    case "bare":
      createServer((_req, res) => {
        res.setHeader("Content-Type", "application/json");
        res.end(constant);
      }).listen(port, "127.0.0.1");
      return;
    case "express": {
      const app = express();
      app.use(express.json());
      app.post("/api/floor", (_req, res) => void res.json({ status: "ok" }));
      app.listen(port, "127.0.0.1");
      return;
    }
    case "trivial-adapter":
    case "trivial-rest":
      trivialApp(kind === "trivial-rest" ? "rest" : "adapter").listen(port, "127.0.0.1");
      return;
    default:
      console.error(`unknown kind ${kind}`);
      process.exit(2);
  }
}

listen();
// A clean exit on SIGTERM, so that `node --cpu-prof` writes its profile.
process.once("SIGTERM", () => process.exit(0));
