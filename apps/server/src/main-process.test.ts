import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./db/embedded.js";
import { createTestDatabase, type TestDatabase } from "./test/database.js";
import { assertBuilt, cliPath, runBuilt, serverPath, type ProcessRun } from "./test/server-process.js";

let workDir: string;
let database: TestDatabase;
beforeAll(async () => {
  assertBuilt();
  workDir = await mkdtemp(path.join(tmpdir(), "ocean1-start-"));
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
  await rm(workDir, { recursive: true, force: true });
});

/** A built entry point run to its end, with a data dir of this file's own. */
function run(file: string, args: string[], env: Record<string, string>): Promise<ProcessRun> {
  return runBuilt(file, args, { OCEAN1_DATA_DIR: path.join(workDir, "data"), ...env }, workDir);
}

describe("start-up failures say what is wrong in one line", () => {
  it("names the unreachable database by host and port and exits non-zero", async () => {
    const port = await freePort();
    const result = await run(serverPath, [], { DATABASE_URL: `postgres://ocean1:secret-pw@127.0.0.1:${port}/ocean1`, PORT: "0" });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(new RegExp(`^the database at 127\\.0\\.0\\.1:${port} cannot be reached \\(.*ECONNREFUSED.*\\)$`));
    expect(result.stderr).not.toContain("secret-pw");
    const cli = await run(cliPath, ["migrate"], { DATABASE_URL: `postgres://ocean1:secret-pw@127.0.0.1:${port}/ocean1` });
    expect(cli).toMatchObject({ code: 1, stderr: `${result.stderr.trim()}\n` });
  });

  it("says that the port is already in use and exits non-zero", async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const result = await run(serverPath, [], { DATABASE_URL: database.url, HOST: "127.0.0.1", PORT: String(port) });
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        `port ${port} is already in use on 127.0.0.1 (is another server running? set PORT to choose another)`,
      );
    } finally {
      busy.close();
    }
  });

  it("reports a bad variable the same way from the server and the CLI", async () => {
    const server = await run(serverPath, [], { PORT: "abc" });
    const cli = await run(cliPath, ["cards", "list"], { PORT: "abc" });
    const expected = 'Invalid configuration:\n  PORT="abc": must be a number';
    expect(server).toMatchObject({ code: 1, stderr: `${expected}\n` });
    expect(cli).toMatchObject({ code: 1, stderr: `${expected}\n` });
  });
});

describe("the built server under a database that drops connections", () => {
  it("stays alive while PostgreSQL terminates its connections under load, and answers again after", async () => {
    const child = spawn(process.execPath, [serverPath], {
      cwd: workDir,
      env: {
        PATH: process.env.PATH ?? "",
        OCEAN1_DATA_DIR: path.join(workDir, "data"),
        LOG_LEVEL: "error",
        DATABASE_URL: database.url,
        HOST: "127.0.0.1",
        PORT: "0",
      },
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    let exited: number | null | undefined;
    child.on("exit", (code) => (exited = code));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          const found = /listening on (http:\/\/\S+)/.exec(chunk.toString());
          if (found?.[1]) resolve(found[1]);
        });
        child.on("exit", () => reject(new Error(`server exited: ${stderr}`)));
      });
      const load = Array.from({ length: 60 }, () =>
        fetch(`${url}/readyz`).then(
          (res) => res.status,
          () => 0,
        ),
      );
      for (let round = 0; round < 5; round++) {
        await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`
          .execute(database.db)
          .catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await Promise.all(load);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(exited).toBeUndefined();
      expect(stderr).not.toMatch(/Unhandled 'error' event|57P01/);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
