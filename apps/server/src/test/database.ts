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
      await admin(`drop database if exists ${name} with (force)`);
    },
  };
}
