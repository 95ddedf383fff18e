import { createRequire } from "node:module";
import path from "node:path";
import { Router, static as serveStatic } from "express";

const swaggerUiDir = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

const page = `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>Ocean1 API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body></html>`;

const init = `window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });`;

/** An interactive API reference, served from the installed swagger-ui-dist: no CDN. */
export function docsRouter(): Router {
  const docs = Router();
  docs.get("/docs", (_req, res) => {
    res.type("html").send(page);
  });
  docs.get("/docs/init.js", (_req, res) => {
    res.type("js").send(init);
  });
  docs.use("/docs/assets", serveStatic(swaggerUiDir, { index: false, maxAge: "1d" }));
  return docs;
}
