import type { IncomingMessage } from "node:http";
import type { AnyTRPCRouter } from "@trpc/server";
import { getErrorShape, getHTTPStatusCode, getTRPCErrorFromUnknown, transformTRPCResponse } from "@trpc/server/unstable-core-do-not-import";
import { toFailure } from "../errors/transport.js";
import type { FastAnswer } from "./fast-answer.js";
import { runOperation, type OperationDefinition } from "../pipeline/run.js";
import { definitionOf } from "../trpc.js";
import { logFailure } from "./failures.js";
import type { RestCall } from "./rest.js";

/** A procedure of the router that is an operation (trpc.ts), by the name it has under `/trpc/`. */
interface TrpcOperation {
  name: string;
  type: "query" | "mutation";
  definition: OperationDefinition;
}

/** A plain tRPC call the fast path can answer: one operation, its method, and (a query's) input from `?input=`. */
export interface TrpcCall {
  operation: TrpcOperation;
  /** For a GET: the parsed `?input=` (undefined without one). A POST's input is its body. */
  queryInput: unknown;
}

const procedureName = /^[A-Za-z][A-Za-z0-9]*$/;

/** The request's URL as tRPC's node adapter builds it, or undefined where that throws (tRPC then refuses the request). */
function urlOf(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
  } catch {
    return undefined;
  }
}

const mediaType = (contentType: string) => contentType.split(";", 1)[0]?.trim().toLowerCase();

/**
 * A parsed JSON value as it comes out of a second `JSON.stringify` and `JSON.parse`: only an
 * infinite number (`1e400`, which becomes null) and -0 (which becomes 0) change, so the value is
 * copied only when it holds one.
 */
export function asJsonAgain(value: unknown): unknown {
  const changes = (v: unknown): boolean =>
    typeof v === "number" ? !Number.isFinite(v) || Object.is(v, -0) : typeof v === "object" && v !== null && Object.values(v).some(changes);
  return changes(value) ? (JSON.parse(JSON.stringify(value)) as unknown) : value;
}

/** The headers tRPC's fetch handler sets on every answer it makes (resolveResponse). */
const trpcHeaders = ["vary", "trpc-accept, accept"];

/**
 * The `/trpc` calls that @ocean1/client makes (its httpLink: one call a request, never batched),
 * answered as tRPC's own handler answers them but without its per-request conversion of the node
 * request into a fetch `Request` and back, express's router and the procedure's middleware chain:
 * the same pipeline every transport runs (pipeline/run.ts), the same error shape
 * (tRPC's `getErrorShape` with our errorFormatter) and HTTP status, the same `onError` log.
 * `http/fast-trpc.test.ts` compares the answers with tRPC's express middleware.
 */
export function trpcDispatcher(router: AnyTRPCRouter) {
  const operations = new Map<string, TrpcOperation>();
  for (const [name, procedure] of Object.entries(router._def.procedures as Record<string, { _def: { type: string } }>)) {
    const definition = definitionOf(procedure);
    const type = procedure._def.type;
    if (definition && procedureName.test(name) && (type === "query" || type === "mutation"))
      operations.set(name, { name, type, definition });
  }
  const config = router._def._config as Parameters<typeof getErrorShape>[0]["config"];

  return {
    /**
     * The call, when it is one the fast path answers: `POST /trpc/<mutation>` with no query string,
     * or `GET /trpc/<query>` with nothing but an `?input=` that parses. Anything else (a batch, a
     * stream, a wrong method, an unknown name, odd encodings) is left to tRPC's own handler.
     */
    match(req: IncomingMessage): TrpcCall | undefined {
      const url = req.url ?? "";
      if (!url.startsWith("/trpc/")) return undefined;
      const end = url.search(/[?#]/);
      const operation = operations.get(url.slice(6, end < 0 ? undefined : end));
      if (!operation) return undefined;
      // A streaming or SSE answer is asked for with these; tRPC refuses it for a single call.
      if (req.headers["trpc-accept"] !== undefined || req.headers.accept?.includes("application/jsonl")) return undefined;
      if (operation.type === "mutation")
        return req.method === "POST" && end < 0 && urlOf(req) !== undefined ? { operation, queryInput: undefined } : undefined;
      // tRPC picks its reader by content type, a GET's too: a form or octet type is refused there.
      const type = req.headers["content-type"];
      if (req.method !== "GET" || (type !== undefined && mediaType(type) !== "application/json")) return undefined;
      // tRPC reads the query as the WHATWG URL of the request does (a `#` ends it; an invalid Host is refused).
      const search = urlOf(req)?.searchParams;
      if (!search) return undefined;
      if ([...search.keys()].some((key) => key !== "input") || search.getAll("input").length > 1) return undefined;
      const text = search.get("input") ?? "";
      if (text === "") return { operation, queryInput: undefined };
      try {
        return { operation, queryInput: JSON.parse(text) as unknown };
      } catch {
        return undefined;
      }
    },

    /** The answer to a matched call; `body` is a POST's parsed JSON body. Never rejects. */
    async answer(call: TrpcCall, body: unknown, restCall: Omit<RestCall, "input">): Promise<FastAnswer> {
      const { operation } = call;
      // tRPC's express adapter hands a body express has parsed on as `JSON.parse(JSON.stringify(body))`.
      const input = operation.type === "query" ? call.queryInput : asJsonAgain(body);
      let response: object;
      let errors: ReturnType<typeof getTRPCErrorFromUnknown>[] = [];
      try {
        response = { result: { data: await runOperation(operation.definition, { context: restCall.context, input: () => input }) } };
      } catch (cause) {
        const error = getTRPCErrorFromUnknown(cause);
        logFailure(restCall.res, error, toFailure(error), operation.name);
        errors = [error];
        response = { error: getErrorShape({ config, ctx: restCall.context, error, input, path: operation.name, type: operation.type }) };
      }
      const status = getHTTPStatusCode([response] as Parameters<typeof getHTTPStatusCode>[0], errors);
      return { status, headers: trpcHeaders, body: transformTRPCResponse(config, response as Parameters<typeof transformTRPCResponse>[1]) };
    },
  };
}

export type TrpcDispatcher = ReturnType<typeof trpcDispatcher>;
