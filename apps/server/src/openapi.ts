import { ZFailureResponse, authHeaders } from "@ocean1/contract";
import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { describeHeldAnswers, describeJimengMultipart } from "./modules/generation/openapi.js";
import type { AppRouter } from "./router.js";

const description = `Ocean1 API. Every handled failure answers HTTP 200 with \`{status:"failed", msg, code}\`
(\`msg\` in Chinese for the user, \`code\` stable for machines): the frontend treats any non-2xx as a network error.
Authenticated operations need both headers \`${authHeaders.email}\` and \`${authHeaders.deviceId}\` naming the active session.
The same procedures are served over tRPC at \`/trpc\`.`;

type Response = { description?: string; content?: Record<string, { schema?: unknown }> };
type Operation = { responses?: Record<string, Response>; security?: unknown };

const failureRef = { $ref: "#/components/schemas/FailureResponse" };

/**
 * The one answer of a documented path that is not HTTP 200: a server that does not serve the path
 * (a typo in the client, or a server older than the operation) answers 404 with the failure shape.
 */
const notServed: Response = {
  description: "The path is not served (a typo, or a server version without this operation): `code` is `NOT_FOUND`.",
  content: { "application/json": { schema: failureRef } },
};

/**
 * The OpenAPI document of the documented REST paths, generated from the routers: each 200 answer
 * is the operation's success shape or the failure shape (the only other answer is the 404 of a path
 * not served), and authentication needs both headers.
 * Public operations say `security: []` outright, so that a linter (and a reader) sees they are
 * public on purpose rather than forgotten.
 */
export function buildOpenApiDocument(router: AppRouter, version: string): OpenAPIObject {
  const document = generateOpenApiDocument(router, {
    title: "Ocean1 API",
    description,
    version,
    baseUrl: "/",
    securitySchemes: {
      userEmail: { type: "apiKey", in: "header", name: authHeaders.email },
      deviceId: { type: "apiKey", in: "header", name: authHeaders.deviceId },
    },
    defs: { FailureResponse: ZFailureResponse },
  });
  for (const pathItem of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(pathItem as Record<string, Operation>)) {
      if (typeof operation !== "object" || !operation?.responses) continue;
      const answer = operation.responses["200"];
      const json = answer?.content?.["application/json"];
      if (json?.schema) json.schema = { oneOf: [json.schema, failureRef] };
      // trpc-to-openapi lists tRPC's error statuses (400, 401, 403, 404, 500), which /api never sends:
      // every handled failure of an operation is its 200 answer.
      operation.responses = answer ? { "200": answer, "404": notServed } : { "404": notServed };
      operation.security = operation.security ? [{ userEmail: [], deviceId: [] }] : [];
    }
  }
  describeHeldAnswers(document.paths ?? {});
  describeJimengMultipart(document.paths ?? {});
  // The tRPC error shapes those statuses referred to are nobody's answer now.
  const schemas = document.components?.schemas ?? {};
  const text = JSON.stringify(document.paths);
  for (const name of Object.keys(schemas)) {
    if (name.startsWith("error.") && !text.includes(`"#/components/schemas/${name}"`)) delete schemas[name];
  }
  // The project is not open source: the licence says so rather than being left out. `LicenseRef-`
  // is SPDX's form for a licence outside its list (here, all rights reserved).
  document.info.license = { name: "Proprietary", identifier: "LicenseRef-Proprietary" };
  return document;
}
