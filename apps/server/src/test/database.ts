import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { createDatabase, type Db } from "../db/database.js";

export interface TestDatabase {
  db: Db;
  url: string;
  drop(): Promise<void>;
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject("adminUrl") });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * pg's pool resolves `end()` once it has asked each connection to close, not once they have closed; a forced
 * drop then terminates the closing ones, and (on Node 24) their 57P01 error escapes as an uncaught exception.
 * So the drop waits, briefly, for the database's last connection to go.
 */
async function waitForNoConnections(database: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject("adminUrl") });
  await client.connect();
  try {
    for (let attempt = 0; attempt < 100; attempt++) {
      const { rows } = await client.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where datname = $1", [database]);
      if (rows[0]?.n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database of its own (a copy of the run's template), dropped by `drop()`. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `ocean1_test_${randomBytes(6).toString("hex")}`;
  await admin(`create database ${name} template ${inject("templateDatabase")}`);
  const url = new URL(inject("adminUrl"));
  url.pathname = `/${name}`;
  const db = createDatabase({ url: url.toString(), poolSize: 30 });
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.destroy();
      await waitForNoConnections(name);
      await admin(`drop database if exists ${name} with (force)`);
    },
  };
}
