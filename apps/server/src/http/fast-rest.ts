import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type express from "express";
import type { NextFunction, Request, Response } from "express";
import proxyaddr from "proxy-addr";
import type { Logger } from "../logger.js";
import type { Context } from "../trpc.js";
import { nestsTooDeep, JsonTooDeepError } from "./json-depth.js";
import { newRequestLocals, recordRequest, type RequestLocals } from "./request-context.js";
import type { FastAnswer } from "./fast-answer.js";
import type { TrpcDispatcher } from "./fast-trpc.js";
import { restInput, type RestDispatcher } from "./rest.js";
import type { RestRoute } from "./rest-routes.js";

type ErrorMiddleware = (error: unknown, req: Request, res: Response, next: NextFunction) => void;

export interface FastRestOptions {
  dispatcher: RestDispatcher;
  /** The plain `/trpc` calls of @ocean1/client (fast-trpc.ts); without it `/trpc` is all express's. */
  trpc?: TrpcDispatcher;
  logger: Logger;
  /** The headers the front middleware (security headers, CORS) sets on an answer to this method and origin (front-headers.ts). */
  headersFor(method: string, origin: string | undefined): string[];
  contextOf(ip: string, headers: IncomingHttpHeaders, locals: RequestLocals): Context;
  /** express.json()'s limit, in bytes: a larger body is left to express (which refuses it). */
  bodyLimit: number;
  errorHandler: ErrorMiddleware;
}

const plainJson = /^application\/json\s*(?:;\s*charset="?utf-8"?\s*)?$/i;
const digits = /^\d+$/;

/**
 * Whether express would read this request exactly as the fast path does: a JSON body in UTF-8 of
 * a declared length, not compressed, within the limit (a GET: no body at all). Anything else takes
 * express's own path, with its own answers.
 */
function isPlain(req: IncomingMessage, useBody: boolean, limit: number): boolean {
  const { headers } = req;
  if (headers["transfer-encoding"] !== undefined) return false;
  if (!useBody) return headers["content-length"] === undefined;
  const length = headers["content-length"];
  if (length === undefined || !digits.test(length) || Number(length) > limit) return false;
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

const firstJsonCharacter = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d])/;

function parseJsonBody(raw: Buffer): unknown {
  if (nestsTooDeep(raw)) throw new JsonTooDeepError();
  let text = raw.toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.length === 0) return {};
  const first = firstJsonCharacter.exec(text)?.[1];
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

/** What parseurl hands express's query parser: everything after the first `?`. */
function queryString(url: string): string {
  const start = url.indexOf("?");
  return start < 0 ? "" : url.slice(start + 1);
}

/** `pairs` (name, value, name, value…) without the names that `replacing` sets. */
function withoutNames(pairs: string[], replacing: string[]): string[] {
  const names = new Set(replacing.filter((_, i) => i % 2 === 0).map((name) => name.toLowerCase()));
  const kept: string[] = [];
  for (let i = 0; i < pairs.length; i += 2)
    if (!names.has((pairs[i] as string).toLowerCase())) kept.push(pairs[i] as string, pairs[i + 1] as string);
  return kept;
}

type Handle = (req: IncomingMessage, res: ServerResponse, callback?: () => void) => void;
interface ExpressInternals {
  request: object;
  response: object;
  handle: Handle;
  get(setting: string): unknown;
}

/**
 * The documented REST operations, served ahead of express: a plain call of an operation (a JSON
 * body of a declared length, or a GET without one) is read, dispatched and answered on node's own
 * request and response, with the front middleware's headers written in one `writeHead`
 * (front-headers.ts), the body parsed as express.json() parses it, the client IP found as express
 * finds it (`trust proxy`). Installed on `app.handle`, so `app.listen` and tests see one app;
 * everything else, and a body that fails to parse, goes through express and its error handler.
 * The answers are express's byte for byte (http/rest.test.ts). With `trpc`, the plain `/trpc`
 * calls of @ocean1/client are served the same way, answered as tRPC's own handler answers them
 * (fast-trpc.ts, http/fast-trpc.test.ts).
 */
export function installFastRest(app: express.Express, options: FastRestOptions): void {
  const { dispatcher, trpc, logger, headersFor, contextOf, bodyLimit, errorHandler } = options;
  // A held answer is written by its express route (held-routes.ts): keep-alives, an event stream.
  const fast = new Set([...dispatcher.routes.values()].filter((route) => dispatcher.operationOf(route).carriage !== "held"));
  const expressApp = app as unknown as ExpressInternals;
  const handle = expressApp.handle.bind(app);
  const trust = expressApp.get("trust proxy fn") as (address: string, hop: number) => boolean;
  const queryParser = expressApp.get("query parser fn") as (query: string) => Record<string, unknown>;

  /** A body that did not parse is answered by express's error handler, as express.json()'s errors are. */
  const failInExpress = (error: unknown, rawReq: IncomingMessage, rawRes: ServerResponse, front: string[]) => {
    const req = Object.setPrototypeOf(rawReq, expressApp.request) as Request;
    const res = Object.setPrototypeOf(rawRes, expressApp.response) as Response;
    req.res = res;
    res.req = req;
    req.originalUrl = req.url;
    req.baseUrl = "";
    for (let i = 0; i < front.length; i += 2) res.setHeader(front[i] as string, front[i + 1] as string);
    errorHandler(error, req, res, () => res.destroy());
  };

  /** Nothing here should throw; if it does, the caller gets express's INTERNAL answer and the process lives on. */
  const guarded = (rawReq: IncomingMessage, rawRes: ServerResponse, work: () => void) => {
    try {
      work();
    } catch (error) {
      if (rawRes.headersSent) rawRes.destroy();
      else failInExpress(error, rawReq, rawRes, []);
    }
  };

  /**
   * One plain call: `answer` gets the parsed body (a POST's) and query and gives the status, the
   * extra headers and the body of the answer (it never rejects).
   */
  const serve = (
    rawReq: IncomingMessage,
    rawRes: ServerResponse,
    useBody: boolean,
    answer: (
      body: unknown,
      query: Record<string, unknown>,
      context: Context,
      res: ServerResponse & { locals: RequestLocals },
    ) => Promise<FastAnswer>,
  ) => {
    const started = performance.now();
    const { headers } = rawReq;
    const method = rawReq.method as string;
    const locals = newRequestLocals(logger, headers["x-request-id"]);
    const res = Object.assign(rawRes, { locals });
    const front = ["x-request-id", locals.requestId, ...headersFor(method, headers.origin)];
    const finish = (statusCode: number) => {
      const url = rawReq.url ?? "";
      const end = url.indexOf("?");
      recordRequest(logger, locals, method, end < 0 ? url : url.slice(0, end), statusCode, performance.now() - started);
    };
    const fail = (error: unknown) => {
      failInExpress(error, rawReq, rawRes, front);
      finish(rawRes.statusCode);
    };

    const dispatch = (body: unknown, query: Record<string, unknown>) => {
      answer(body, query, contextOf(proxyaddr(rawReq, trust), headers, locals), res)
        .then(({ status, headers: extra, body: answerBody }) => {
          // A caller that has gone is not answered, nor counted (as express counts only finished answers).
          if (rawRes.destroyed) return;
          const json = JSON.stringify(answerBody);
          // The answer's own headers replace the front middleware's of the same name (as `setHeader` would).
          const written = extra.length === 0 ? front : withoutNames(front, extra);
          written.push(...extra, "Content-Type", "application/json", "Content-Length", String(Buffer.byteLength(json)));
          rawRes.writeHead(status, written);
          rawRes.end(json);
          finish(status);
        })
        .catch((error: unknown) => {
          locals.log.error({ err: error }, "answer not written");
          rawRes.destroy();
        });
    };
    const query = queryParser(queryString(rawReq.url ?? ""));
    // tRPC's `?input=` is refused when nested too deep on every path (json-depth.ts), this one too.
    if (typeof query.input === "string" && nestsTooDeep(query.input)) return fail(new JsonTooDeepError());
    if (!useBody) return dispatch(undefined, query);
    readBody(rawReq, (raw) =>
      guarded(rawReq, rawRes, () => {
        let body: unknown;
        try {
          body = parseJsonBody(raw);
        } catch (error) {
          return fail(error);
        }
        dispatch(body, query);
      }),
    );
  };

  const serveRest = (route: RestRoute, rawReq: IncomingMessage, rawRes: ServerResponse) =>
    serve(rawReq, rawRes, route.useBody, async (body, query, context, res) => ({
      status: 200,
      headers: [],
      body: await dispatcher.answer(route, {
        input: () => restInput(route, rawReq.headers["content-type"], body, () => query),
        context,
        res,
      }),
    }));

  expressApp.handle = (rawReq, rawRes, callback) => {
    if (callback !== undefined) return handle(rawReq, rawRes, callback);
    const route = dispatcher.match(rawReq);
    if (route) {
      if (!fast.has(route) || !isPlain(rawReq, route.useBody, bodyLimit)) return handle(rawReq, rawRes, callback);
      return guarded(rawReq, rawRes, () => serveRest(route, rawReq, rawRes));
    }
    const call = trpc?.match(rawReq);
    if (!trpc || !call || !isPlain(rawReq, call.operation.type === "mutation", bodyLimit)) return handle(rawReq, rawRes, callback);
    guarded(rawReq, rawRes, () =>
      serve(rawReq, rawRes, call.operation.type === "mutation", (body, _query, context, res) => trpc.answer(call, body, { context, res })),
    );
  };
}
