import http, { type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type Request, type Response } from "express";
import helmet from "helmet";
import { helmetOptions, jsonBodyLimit } from "../app.js";
import type { AppDeps } from "../deps.js";
import { corsMiddleware } from "../http/cors.js";
import { errorHandler, notFound } from "../http/errors.js";
import { refuseDeepQueryInput, verifyJsonDepth } from "../http/json-depth.js";
import { localsOf, requestContext } from "../http/request-context.js";
import { applyServerLimits } from "../http/server-limits.js";
import { createContextInner, requestInfo, type Context } from "../trpc.js";

export interface ReferenceServer {
  url: string;
  close(): Promise<void>;
}

/**
 * createApp's middleware in front of the API (request context, security headers, CORS, the JSON
 * body), then what `mount` adds, the 404 and the error handler, on express alone: no fast path.
 * The equivalence tests compare the app's answers with this server's.
 */
export async function startReferenceServer(
  deps: AppDeps,
  mount: (app: express.Express, createContext: (req: Request, res: Response) => Context) => void,
): Promise<ReferenceServer> {
  const createContext = (req: Request, res: Response): Context =>
    createContextInner(deps, requestInfo(localsOf(res), req.ip ?? "unknown", req.headers));
  const app = express();
  app.disable("x-powered-by");
  app.use(requestContext(deps.logger));
  app.use(helmet(helmetOptions));
  app.use(corsMiddleware(deps.config));
  app.use(express.json({ limit: jsonBodyLimit, verify: verifyJsonDepth }));
  app.use(refuseDeepQueryInput);
  mount(app, createContext);
  app.use(notFound);
  app.use(errorHandler);
  const server: Server = app.listen(0, "127.0.0.1");
  applyServerLimits(server);
  await new Promise<void>((resolve) => server.once("listening", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface Probe {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * One request's status, headers (without `Date` and those named in `ignore`) and body, with the same
 * request id everywhere. Sent with node:http, which sends the path and the headers as given (a
 * `#` in the path, any `Host`), where fetch would normalise them.
 */
export function answerTo(base: string, probe: Probe, ignore: readonly string[] = []) {
  const body = probe.body === undefined ? undefined : Buffer.from(probe.body);
  const headers: Record<string, string | number> = { "x-request-id": "same-id", ...probe.headers };
  if (body) headers["content-length"] = body.length;
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string; contentLength: string | undefined }>(
    (resolve, reject) => {
      const { hostname, port } = new URL(base);
      const req = http.request({ hostname, port, path: probe.path, method: probe.method, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const left = new Set(["date", "connection", "keep-alive", ...ignore]);
          resolve({
            status: res.statusCode ?? 0,
            headers: Object.fromEntries(Object.entries(res.headers).filter(([name]) => !left.has(name))),
            body: Buffer.concat(chunks).toString("utf8"),
            contentLength: res.headers["content-length"],
          });
        });
      });
      req.on("error", reject);
      req.end(body);
    },
  );
}
