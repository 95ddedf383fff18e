import { startBuiltServer } from "@ocean1/test-server";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    server: { url: string; dataDir: string; env: Record<string, string> };
  }
}

/** One built server for the run: real PostgreSQL (embedded), the simulator upstream, codes in the outbox. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startBuiltServer({ REGISTER_BONUS_POINTS: "10", CHAT_PRICE_POINTS: "1" });
  project.provide("server", { url: server.url, dataDir: server.dataDir, env: server.env });
  return () => server.stop();
}
