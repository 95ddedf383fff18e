import { operations } from "@ocean1/contract";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./openapi.js";
import { appRouter } from "./router.js";

const document = buildOpenApiDocument(appRouter, "test");
type OperationObject = {
  operationId?: string;
  security?: unknown;
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
};
const pathOperations = (path: string) => (document.paths?.[path] ?? {}) as Record<string, OperationObject>;

/** The operations this server registers so far; each later one arrives with its issue. */
const registered = [
  "login",
  "register",
  "sendCode",
  "loginVerify",
  "resetPassword",
  "heartbeat",
  "getHistory",
  "redeemCard",
  "soraCreate",
  "bananaCreate",
  "queryResult",
  "listTasks",
  "catChat",
  "jimengVideoCreate",
  "jimengImageCreate",
] as const;

describe("the OpenAPI document", () => {
  it.each(registered)("lists %s at its documented method and path", (name) => {
    const op = operations[name];
    const entry = pathOperations(op.path)[op.method.toLowerCase()];
    expect(entry?.operationId).toBe(name);
  });

  it("lists only documented paths", () => {
    const documented = new Set(Object.values(operations).map((op) => op.path));
    for (const path of Object.keys(document.paths ?? {})) expect(documented).toContain(path);
  });

  it("describes each 200 answer as the success shape or the failure shape", () => {
    const entry = pathOperations("/api/auth/login").post;
    const schema = entry?.responses?.["200"]?.content?.["application/json"]?.schema as { oneOf?: unknown[] };
    expect(schema.oneOf).toHaveLength(2);
    expect(schema.oneOf).toContainEqual({ $ref: "#/components/schemas/FailureResponse" });
  });

  it("requires both session headers, together, on authenticated operations only", () => {
    expect(pathOperations("/api/user/history").get?.security).toEqual([{ userEmail: [], deviceId: [] }]);
    expect(pathOperations("/api/auth/login").post?.security).toEqual([]);
  });
});
