import { createConfig, lintFromString } from "@redocly/openapi-core";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./openapi.js";
import { appRouter } from "./router.js";

describe("the OpenAPI document", () => {
  it("passes Redocly's recommended lint rules with no error and no warning", async () => {
    const config = await createConfig({ extends: ["recommended"] });
    const source = JSON.stringify(buildOpenApiDocument(appRouter, "test"));
    const problems = await lintFromString({ source, absoluteRef: "openapi.json", config });
    const found = problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location.map((l) => l.pointer).join(", ")}`);
    expect(found).toEqual([]);
  });
});
