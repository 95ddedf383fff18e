import type { IncomingMessage, ServerResponse } from "node:http";
import type express from "express";
import type { NextFunction, Request, Response } from "express";
import { nestsTooDeep, JsonTooDeepError, refuseDeepQueryInput } from "./json-depth.js";
import type { RestDispatcher } from "./rest.js";
import type { RestRoute } from "./rest-routes.js";

type Middleware = (req: Request, res: Response, next: NextFunction) => void;
type ErrorMiddleware = (error: unknown, req: Request, res: Response, next: NextFunction) => void;

export interface FastRestOptions {
  dispatcher: RestDispatcher;
  /** The middleware in front of every route (request id, security headers, CORS), run as express runs it. */
  front: Middleware[];
  /** express.json()'s limit, in bytes: a larger body is left to express (which refuses it). */
  bodyLimit: number;
  errorHandler: ErrorMiddleware;
  /** Express routers of modules: a path that one of them serves is left to express. */
  moduleRouters: express.Router[];
}

interface RouterLayer {
  match(path: string): boolean;
  route?: { _handlesMethod(method: string): boolean };
}

/** Whether a module's router would see this request (any middleware layer, or a route of this method). */
function claimedByModule(routers: express.Router[], route: RestRoute): boolean {
  return routers.some((router) =>
    (router.stack as unknown as RouterLayer[]).some(
      (layer) => layer.match(route.path) && (!layer.route || layer.route._handlesMethod(route.method)),
    ),
  );
}

const plainJson = /^application\/json\s*(?:;\s*charset="?utf-8"?\s*)?$/i;

/**
 * Whether express.json() would read this request exactly as the fast path does: a JSON body in
 * UTF-8 of a declared length, not compressed, within the limit (a GET: no body at all). Anything
 * else takes express's own path, with its own answers.
 */
function isPlain(req: IncomingMessage, route: RestRoute, limit: number): boolean {
  const { headers } = req;
  if (headers["transfer-encoding"] !== undefined) return false;
  if (!route.useBody) return headers["content-length"] === undefined;
  const length = headers["content-length"];
  if (length === undefined || !/^\d+$/.test(length) || Number(length) > limit) return false;
  const encoding = headers["content-encoding"];
  if (encoding !== undefined && encoding.toLowerCase() !== "identity") return false;
  return plainJson.test(headers["content-type"] ?? "");
}

/** body-parser's strict JSON: `{` or `[` first (after JSON whitespace), an empty body is `{}`. */
class BodyParseError extends Error {
  override name = "SyntaxError";
  readonly type = "entity.parse.failed";
  readonly status = 400;
  readonly expose = true;
}

function parseJsonBody(raw: Buffer): unknown {
  if (nestsTooDeep(raw)) throw new JsonTooDeepError();
  let text = raw.toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.length === 0) return {};
  const first = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d])/.exec(text)?.[1];
  if (first !== "{" && first !== "[") throw new BodyParseError("JSON body must be an object or an array");
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new BodyParseError((error as Error).message);
  }
}

function readBody(req: IncomingMessage, onBody: (raw: Buffer) => void): void {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  // A client that goes away before the end gets no answer, as with express.json().
  req.once("end", () => onBody(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
}

/**
 * The documented REST operations served ahead of express's router: the same middleware, the same
 * body parsing and the same dispatcher, without the router's walk over every layer for each
 * request (most of express's per-request cost). Installed on `app.handle`, so `app.listen` and
 * tests see one app; everything that is not a plain call of an operation goes through express.
 */
export function installFastRest(app: express.Express, options: FastRestOptions): void {
  const { dispatcher, front, bodyLimit, errorHandler, moduleRouters } = options;
  const fast = new Set([...dispatcher.routes.values()].filter((route) => !claimedByModule(moduleRouters, route)));
  type Handle = (req: IncomingMessage, res: ServerResponse, callback?: () => void) => void;
  const expressApp = app as unknown as { request: object; response: object; handle: Handle };
  const handle = expressApp.handle.bind(app);

  expressApp.handle = (rawReq, rawRes, callback) => {
    const route = callback === undefined ? dispatcher.match(rawReq) : undefined;
    if (!route || !fast.has(route) || !isPlain(rawReq, route, bodyLimit)) return handle(rawReq, rawRes, callback);
    // What express's app.handle and router set up before the first middleware.
    const req = Object.setPrototypeOf(rawReq, expressApp.request) as Request;
    const res = Object.setPrototypeOf(rawRes, expressApp.response) as Response;
    req.res = res;
    res.req = req;
    res.locals ??= Object.create(null) as Record<string, unknown>;
    req.originalUrl ??= req.url;
    req.baseUrl = "";

    const fail = (error: unknown) => errorHandler(error, req, res, () => res.destroy());
    const dispatch = () => void dispatcher.dispatch(route, req, res).catch(fail);
    const afterBody = () => refuseDeepQueryInput(req, res, (error?: unknown) => (error ? fail(error) : dispatch()));
    let step = 0;
    const next = (error?: unknown): void => {
      if (error) return fail(error);
      const middleware = front[step++];
      if (middleware) return middleware(req, res, next);
      if (!route.useBody) return afterBody();
      readBody(req, (raw) => {
        try {
          req.body = parseJsonBody(raw);
        } catch (parseError) {
          return fail(parseError);
        }
        afterBody();
      });
    };
    try {
      next();
    } catch (error) {
      fail(error);
    }
  };
}
