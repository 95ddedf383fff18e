import { createExpressMiddleware } from "@trpc/server/adapters/express";
import express, { type Request, type Response } from "express";
import { sql } from "kysely";
import type { AppDeps } from "./deps.js";
import { toFailure } from "./errors/transport.js";
import { corsMiddleware } from "./http/cors.js";
import { docsRouter } from "./http/docs.js";
import { errorHandler, notFound } from "./http/errors.js";
import { logFailure } from "./http/failures.js";
import { localsOf, requestContext } from "./http/request-context.js";
import { restApi } from "./http/rest.js";
import { buildOpenApiDocument } from "./openapi.js";
import { appRouter } from "./router.js";
import { moduleRoutes } from "./routes.js";
import { createContextInner, readAuthHeaders, type Context } from "./trpc.js";
import { serverVersion } from "./version.js";

export const jsonBodyLimit = "1mb";

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

  const createContext = (req: Request, res: Response): Context =>
    createContextInner(deps, { ...localsOf(res), ip: req.ip ?? req.socket.remoteAddress ?? "unknown", ...readAuthHeaders(req.headers) });

  app.use(requestContext(deps.logger));
  app.use(corsMiddleware(deps.config));

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    try {
      await sql`select 1`.execute(deps.db);
      res.json({ status: "ok" });
    } catch (error) {
      localsOf(res).log.warn({ err: error }, "database not reachable");
      res.status(503).json({ status: "unavailable" });
    }
  });
  const openApiDocument = buildOpenApiDocument(appRouter, serverVersion);
  app.get("/openapi.json", (_req, res) => {
    res.json(openApiDocument);
  });
  app.use(docsRouter());

  app.use(express.json({ limit: jsonBodyLimit }));
  app.use(
    "/trpc",
    createExpressMiddleware({
      router: appRouter,
      createContext: ({ req, res }) => createContext(req, res),
      onError: ({ error, req, path }) => logFailure(req.res, error, toFailure(error), path),
    }),
  );
  for (const routes of moduleRoutes) app.use(routes(deps));
  app.use(restApi(appRouter, createContext));
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
