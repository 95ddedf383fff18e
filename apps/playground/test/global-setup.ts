import path from "node:path";
import { fileURLToPath } from "node:url";
import { startBuiltServer } from "@ocean1/test-server";
import { preview } from "vite";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    api: { url: string; dataDir: string; env: Record<string, string> };
    playgroundUrl: string;
  }
}

/**
 * The built server (simulator upstream, embedded PostgreSQL, codes in the outbox) and the built
 * playground served by `vite preview` on another port: another origin, as the real frontend is.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startBuiltServer({ REGISTER_BONUS_POINTS: "10", CHAT_PRICE_POINTS: "1" });
  const playground = await preview({
    root: path.resolve(fileURLToPath(import.meta.url), "../.."),
    logLevel: "warn",
    preview: { host: "127.0.0.1", port: 0, strictPort: false, open: false },
  });
  const playgroundUrl = playground.resolvedUrls?.local[0];
  if (!playgroundUrl) throw new Error("vite preview has no address");
  project.provide("api", { url: server.url, dataDir: server.dataDir, env: server.env });
  project.provide("playgroundUrl", playgroundUrl.replace(/\/$/, ""));
  return async () => {
    await playground.close();
    await server.stop();
  };
}
