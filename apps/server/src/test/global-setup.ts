import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { createDatabase } from "../db/database.js";
import { migrateToLatest } from "../db/migrate.js";

declare module "vitest" {
  export interface ProvidedContext {
    adminUrl: string;
    templateDatabase: string;
  }
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * One throwaway PostgreSQL per run (or the server of TEST_DATABASE_URL), and one migrated
 * template database that every test file copies into a database of its own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let adminUrl = process.env.TEST_DATABASE_URL;
  let stopCluster = async () => {};
  if (!adminUrl) {
    const directory = await mkdtemp(path.join(tmpdir(), "ocean1-test-"));
    await chmod(directory, 0o755); // the cluster runs as the postgres user when we are root
    const { startEmbeddedPostgres } = await import("../db/embedded.js");
    const cluster = await startEmbeddedPostgres({ directory, persistent: false });
    adminUrl = cluster.adminUrl;
    stopCluster = async () => {
      await cluster.stop();
      await rm(directory, { recursive: true, force: true });
    };
  }
  const templateDatabase = `ocean1_template_${process.pid}`;
  await admin(adminUrl, `drop database if exists ${templateDatabase}`);
  await admin(adminUrl, `create database ${templateDatabase}`);
  const url = new URL(adminUrl);
  url.pathname = `/${templateDatabase}`;
  const db = createDatabase({ url: url.toString(), poolSize: 1 });
  await migrateToLatest(db);
  await db.destroy();

  project.provide("adminUrl", adminUrl);
  project.provide("templateDatabase", templateDatabase);
  return async () => {
    await admin(adminUrl, `drop database if exists ${templateDatabase} with (force)`);
    await stopCluster();
  };
}
