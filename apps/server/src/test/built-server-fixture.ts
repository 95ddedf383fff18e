import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { startSimulator, type RunningSimulator } from "../simulator/app.js";
import { createTestDatabase, type TestDatabase } from "./database.js";
import { grsaiKey } from "./generation.js";
import { assertBuilt } from "./server-process.js";

export interface BuiltServerFixture {
  readonly workDir: string;
  readonly database: TestDatabase;
  /** The upstream, in the test's process: it outlives the servers it answers. */
  readonly simulator: RunningSimulator;
  /** The environment of the built server and CLI: this database, a data dir of its own, the simulator as GrsAI. */
  readonly env: Record<string, string>;
  /** The upstream finishes every task it runs now. */
  finishUpstream(): void;
}

/**
 * For tests that stop and restart the built server (`dist/main.js`): a database, a data dir and a GrsAI
 * simulator whose tasks run a minute — still running whatever the machine's load when the server stops —
 * until the test lets them finish with `finishUpstream()`. Registers its own beforeAll/afterAll.
 */
export function useBuiltServerFixture(label: string, secret: string): BuiltServerFixture {
  let state: Omit<BuiltServerFixture, "finishUpstream"> | undefined;
  const current = () => {
    if (!state) throw new Error("the built-server fixture is used before its beforeAll ran");
    return state;
  };
  beforeAll(async () => {
    assertBuilt();
    const workDir = await mkdtemp(path.join(tmpdir(), `ocean1-${label}-`));
    const database = await createTestDatabase();
    const simulator = await startSimulator({ taskMs: 60_000 });
    const env = {
      DATABASE_URL: database.url,
      OCEAN1_SECRET: secret,
      OCEAN1_DATA_DIR: path.join(workDir, "data"),
      GRSAI_BASE_URL: simulator.url,
      GRSAI_API_KEY: grsaiKey,
    };
    state = { workDir, database, simulator, env };
  });
  afterAll(async () => {
    await state?.simulator.close();
    await state?.database.drop();
    if (state) await rm(state.workDir, { recursive: true, force: true });
  });
  return {
    get workDir() {
      return current().workDir;
    },
    get database() {
      return current().database;
    },
    get simulator() {
      return current().simulator;
    },
    get env() {
      return current().env;
    },
    finishUpstream() {
      for (const task of current().simulator.state.tasks.values()) task.durationMs = 0;
    },
  };
}
