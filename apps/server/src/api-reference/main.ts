import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildOpenApiDocument } from "../openapi.js";
import { appRouter } from "../router.js";
import { renderApiReference } from "./render.js";

/** `pnpm docs:api`: writes docs/api.md at the repository root (four levels up from dist/api-reference/). */
const apiReferencePath = fileURLToPath(new URL("../../../../docs/api.md", import.meta.url));

writeFileSync(apiReferencePath, renderApiReference(buildOpenApiDocument(appRouter, "docs").paths ?? {}));
console.log(`wrote ${apiReferencePath}`);
