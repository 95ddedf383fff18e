import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Config } from "./config.js";
import { createDatabase, type Db } from "./db/database.js";
import { assertDatabaseReachable } from "./db/reachable.js";
import type { Logger } from "./logger.js";
import { createOutboxMailer, createSmtpMailer, type Mailer } from "./mail/mailer.js";

export interface Runtime {
  db: Db;
  secret: string;
  mailer: Mailer;
  /** Closes the pool, the mailer and the embedded cluster this process started. */
  close(): Promise<void>;
}

/** Outside production a secret is generated once into the data dir, so restarts keep sessions valid. */
async function developmentSecret(dataDir: string): Promise<string> {
  const file = path.join(dataDir, "secret");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const secret = randomBytes(32).toString("base64url");
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** The database, secret and mailer that the server and the operator CLI share. */
export async function openRuntime(config: Config, logger: Logger): Promise<Runtime> {
  await mkdir(config.dataDir, { recursive: true });
  const secret = config.secret ?? (await developmentSecret(config.dataDir));

  let databaseUrl = config.databaseUrl;
  let stopEmbedded = async () => {};
  if (!databaseUrl) {
    const directory = path.join(config.dataDir, "postgres");
    logger.info({ directory }, "DATABASE_URL unset: using the embedded PostgreSQL");
    // Loaded only when used: the package installs exit hooks of its own.
    const { startEmbeddedPostgres } = await import("./db/embedded.js");
    const embedded = await startEmbeddedPostgres({ directory, onLog: (message) => logger.debug({ postgres: message.trim() }) });
    await embedded.ensureDatabase("ocean1");
    databaseUrl = embedded.urlFor("ocean1");
    stopEmbedded = () => embedded.stop();
  }
  const db = createDatabase({
    url: databaseUrl,
    poolSize: config.databasePoolSize,
    onConnectionError: (error) => logger.error({ err: error }, "database connection lost; it is discarded and the pool reconnects"),
  });
  try {
    await assertDatabaseReachable(db, databaseUrl);
  } catch (error) {
    await db.destroy();
    await stopEmbedded();
    throw error;
  }

  let mailer: Mailer;
  if (config.mail.smtpUrl) {
    mailer = createSmtpMailer(config.mail.smtpUrl, config.mail.from);
  } else {
    const outbox = path.join(config.dataDir, "outbox");
    logger.warn({ outbox }, "SMTP_URL unset: emails are not sent, only printed to the log and kept in the outbox folder");
    mailer = createOutboxMailer(outbox, logger);
  }

  return {
    db,
    secret,
    mailer,
    async close() {
      mailer.close();
      await db.destroy();
      await stopEmbedded();
    },
  };
}
