import { ZFailureResponse, authHeaders } from "@ocean1/contract";
import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { describeHeldAnswers, describeJimengMultipart } from "./modules/generation/openapi.js";
import type { AppRouter } from "./router.js";

const description = `Ocean1 API. Every handled failure answers HTTP 200 with \`{status:"failed", msg, code}\`
(\`msg\` in Chinese for the user, \`code\` stable for machines): the frontend treats any non-2xx as a network error.
Authenticated operations need both headers \`${authHeaders.email}\` and \`${authHeaders.deviceId}\` naming the active session.
The same procedures are served over tRPC at \`/trpc\`.`;

type Operation = { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>; security?: unknown };

/**
 * The OpenAPI document of the documented REST paths, generated from the routers: each 200 answer
 * is the operation's success shape or the failure shape, and authentication needs both headers.
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
      const json = operation.responses["200"]?.content?.["application/json"];
      if (json?.schema) json.schema = { oneOf: [json.schema, { $ref: "#/components/schemas/FailureResponse" }] };
      operation.security = operation.security ? [{ userEmail: [], deviceId: [] }] : [];
    }
  }
  describeHeldAnswers(document.paths ?? {});
  describeJimengMultipart(document.paths ?? {});
  // The project is not open source: the licence says so rather than being left out. `LicenseRef-`
  // is SPDX's form for a licence outside its list (here, all rights reserved).
  document.info.license = { name: "Proprietary", identifier: "LicenseRef-Proprietary" };
  return document;
}
