import { createServer } from "node:http";
import express from "express";
import helmet from "helmet";
import { helmetOptions } from "../app.js";
import { createOpenApiNodeHttpHandler } from "trpc-to-openapi";
import { z } from "zod";
import { loadConfig } from "../config.js";
import { corsMiddleware } from "../http/cors.js";
import { verifyJsonDepth } from "../http/json-depth.js";
import { localsOf, requestContext } from "../http/request-context.js";
import { errorHandler, notFound } from "../http/errors.js";
import { installFastRest } from "../http/fast-rest.js";
import { restApi, restDispatcher } from "../http/rest.js";
import { systemClock } from "../lib/clock.js";
import { createLogger } from "../logger.js";
import { createContextInner, publicProcedure, readAuthHeaders, router } from "../trpc.js";
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
  ping: publicProcedure
    .meta({ openapi: { method: "POST", path: "/api/bench/ping", operationId: "ping" } })
    .input(z.object({ email: z.string() }))
    .output(z.object({ status: z.literal("ok") }))
    .mutation(() => ({ status: "ok" as const })),
});

function trivialApp(dispatch: "adapter" | "rest"): express.Express {
  const config = loadConfig({ LOG_LEVEL: process.env.LOG_LEVEL ?? "info" }, undefined);
  const logger = createLogger(config.logLevel);
  // The procedure reads nothing of these: only the context's shape matters.
  const deps = { config, logger, clock: systemClock, providers: {} } as unknown as AppDeps;
  const createContext = (req: express.Request, res: express.Response) =>
    createContextInner(deps, { ...localsOf(res), ip: req.ip ?? "unknown", ...readAuthHeaders(req.headers) });
  const app = express();
  app.disable("x-powered-by");
  const front = [requestContext(logger), helmet(helmetOptions), corsMiddleware(config)];
  for (const middleware of front) app.use(middleware);
  app.use(express.json({ limit: "1mb", verify: verifyJsonDepth }));
  if (dispatch === "rest") {
    // As createApp serves it: the fast path ahead of express, express behind it.
    const dispatcher = restDispatcher(trivialRouter, createContext);
    app.use(restApi(dispatcher));
    app.use(notFound);
    app.use(errorHandler);
    installFastRest(app, { dispatcher, front, bodyLimit: 1024 * 1024, errorHandler, moduleRouters: [] });
  } else {
    const handle = createOpenApiNodeHttpHandler({
      router: trivialRouter,
      createContext: ({ req, res }) => createContext(req as express.Request, res as express.Response),
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
