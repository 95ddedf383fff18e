import type { AnyTRPCRouter } from "@trpc/server";
import {
  acceptsRequestBody,
  coerceSchema,
  forEachOpenApiProcedure,
  getInputOutputParsers,
  instanceofZodTypeLikeVoid,
  instanceofZodTypeObject,
  instanceofZodTypeOptional,
  normalizePath,
  unwrapZodType,
  type OpenApiProcedureRecord,
} from "trpc-to-openapi";
import type { ZodType } from "zod";

/** One served REST operation: the procedure behind `METHOD /path` and how its input is read. */
export interface RestRoute {
  method: string;
  /** As documented (`/api/user/heartbeat`). */
  path: string;
  /** The procedure's name in the router (the contract's operation name). */
  name: string;
  /** POST reads the JSON body; GET the query string. */
  useBody: boolean;
  /** A `z.void()`-like input: the procedure is called without one. */
  voidInput: boolean;
  /** Query keys whose schema is an array: a single `?k=v` becomes `[v]`. */
  arrayKeys: string[];
}

/** The lookup key: trpc-to-openapi matches a path case-insensitively after trimming one leading and trailing `/`. */
export function routeKey(method: string, normalizedPath: string): string {
  return `${method} ${normalizedPath.toLowerCase()}`;
}

/**
 * The documented operations of a router, read from the same procedure metadata that
 * trpc-to-openapi's document generator reads, so the served set and the documented set are one.
 * Number and boolean fields of each input object are made to coerce from strings, as the
 * adapter does to every input it serves (a query string carries only strings).
 */
export function restRoutes(router: AnyTRPCRouter): Map<string, RestRoute> {
  const routes = new Map<string, RestRoute>();
  const procedures = router._def.procedures as OpenApiProcedureRecord;
  forEachOpenApiProcedure(procedures, ({ path: name, procedure, meta: { openapi } }) => {
    if (procedure._def.type === "subscription") return;
    const { inputParser } = getInputOutputParsers(procedure);
    const schema = unwrapZodType(inputParser, true);
    const useBody = acceptsRequestBody(openapi.method);
    const arrayKeys: string[] = [];
    if (instanceofZodTypeObject(schema)) {
      for (const [key, shape] of Object.entries(schema.shape as Record<string, ZodType>)) {
        const inner = instanceofZodTypeOptional(shape) ? shape.unwrap() : shape;
        if (inner._zod.def.type === "array") arrayKeys.push(key);
      }
      coerceSchema(schema);
    }
    const path = normalizePath(openapi.path);
    const route = { method: openapi.method, path, name, useBody, voidInput: instanceofZodTypeLikeVoid(schema), arrayKeys };
    routes.set(routeKey(openapi.method, path), route);
  });
  return routes;
}
