import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "../openapi.js";
import { appRouter } from "../router.js";
import { renderApiReference } from "./render.js";

const paths = buildOpenApiDocument(appRouter, "test").paths ?? {};
const committed = fileURLToPath(new URL("../../../../docs/api.md", import.meta.url));

describe("docs/api.md", () => {
  it("is exactly what `pnpm docs:api` writes from the contract and the served routes", () => {
    expect(readFileSync(committed, "utf8"), "docs/api.md is stale: run `pnpm docs:api`").toBe(renderApiReference(paths));
  });

  it("marks an operation served only when the server has its route", () => {
    const reference = renderApiReference(paths);
    expect(reference).toContain("| `redeemCard` | `POST /api/pay/redeem` | pay | yes | served |");
    expect(renderApiReference({})).toContain("| `redeemCard` | `POST /api/pay/redeem` | pay | yes | not yet |");
  });
});
