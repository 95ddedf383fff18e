import type { IncomingHttpHeaders } from "node:http";
import { createExpressMiddleware } from "@trpc/server/adapters/express";
import express from "express";
import helmet from "helmet";
import { sql } from "kysely";
import type { AppDeps } from "./deps.js";
import { maxBatchSize, toFailure } from "./errors/transport.js";
import { corsMiddleware } from "./http/cors.js";
import { docsRouter } from "./http/docs.js";
import { logFailure } from "./http/failures.js";
import { refuseDeepQueryInput, verifyJsonDepth } from "./http/json-depth.js";
import { localsOf, requestContext, type RequestLocals } from "./http/request-context.js";
import { expressContext, installRestApi } from "./http/rest-api.js";
import { withTimeout } from "./lib/timeout.js";
import { buildOpenApiDocument } from "./openapi.js";
import { appRouter } from "./router.js";
import { serveMetrics } from "./metrics/endpoint.js";
import { moduleRoutes } from "./routes.js";
import { createContextInner, requestInfo, type Context } from "./trpc.js";
import { serverVersion } from "./version.js";

export const jsonBodyLimit = "1mb";

/**
 * No `upgrade-insecure-requests`: TLS is the reverse proxy's business, and over plain HTTP at any host but
 * localhost the browser would rewrite /docs's own scripts to https and show a blank page.
 */
export const helmetOptions = {
  contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  crossOriginResourcePolicy: { policy: "cross-origin" },
  strictTransportSecurity: false,
} as const;
/** The same, in bytes (as express.json() reads "1mb"). */
const jsonBodyLimitBytes = 1024 * 1024;
/** A load balancer's probe learns of a stalled database within this, not after the pool's own limits. */
const readinessTimeoutMs = 2_000;

/** tRPC's own express handler of `/trpc` (the fast path answers its plain calls ahead of it: http/fast-trpc.ts). */
export function trpcMiddleware(createContext: (req: express.Request, res: express.Response) => Context) {
  return createExpressMiddleware({
    router: appRouter,
    maxBatchSize,
    createContext: ({ req, res }) => createContext(req, res),
    onError: ({ error, req, path }) => logFailure(req.res, error, toFailure(error), path),
  });
}

/** The whole HTTP app on the given dependencies; `main.ts` only adds listening and shutdown. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", deps.config.trustProxy);
  if (deps.config.trustProxy === true) {
    deps.logger.warn(
      "TRUST_PROXY=true believes every X-Forwarded-For entry, so any client can choose its IP and escape the per-IP limits: " +
        "set the number of proxies in front (TRUST_PROXY=1) or their addresses instead (see docs/configuration.md)",
    );
  }

  const contextOf = (ip: string, headers: IncomingHttpHeaders, locals: RequestLocals): Context =>
    createContextInner(deps, requestInfo(locals, ip, headers));
  const createContext = expressContext(contextOf);

  // nosniff, frame and referrer policies, a CSP that /docs (swagger-ui from local assets, inline styles) lives within.
  // The API is read from other origins (CORS_ORIGINS), so its answers may be; HSTS is the TLS terminator's to set.
  const headers = [helmet(helmetOptions), corsMiddleware(deps.config)];
  app.use(requestContext(deps.logger));
  for (const middleware of headers) app.use(middleware);

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    try {
      await withTimeout(sql`select 1`.execute(deps.db), readinessTimeoutMs, "the readiness query");
      res.json({ status: "ok" });
    } catch (error) {
      localsOf(res).log.warn({ err: error }, "database not reachable");
      res.status(503).json({ status: "unavailable" });
    }
  });
  // On the public port only behind its bearer token; METRICS_PORT serves it on a listener of its own.
  const metricsToken = deps.config.metrics.token;
  if (metricsToken !== undefined) app.get("/metrics", serveMetrics(deps, metricsToken));
  const openApiDocument = buildOpenApiDocument(appRouter, serverVersion);
  app.get("/openapi.json", (_req, res) => {
    res.json(openApiDocument);
  });
  app.use(docsRouter());

  app.use(express.json({ limit: jsonBodyLimit, verify: verifyJsonDepth }));
  app.use(refuseDeepQueryInput);
  app.use("/trpc", trpcMiddleware(createContext));
  for (const routes of moduleRoutes) app.use(routes(createContext));
  installRestApi(app, {
    router: appRouter,
    logger: deps.logger,
    headerMiddleware: headers,
    contextOf,
    bodyLimit: jsonBodyLimitBytes,
    trpc: true,
  });
  return app;
}
