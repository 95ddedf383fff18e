import { sql } from "kysely";
import type { Db } from "./database.js";

/** The database named by the configuration does not answer: the start-up says so in one line. */
export class DatabaseUnreachableError extends Error {
  override name = "DatabaseUnreachableError";
}

/** `host:port` of a connection string, never its password. */
export function databaseAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || "5432"}`;
  } catch {
    return "(unparsable DATABASE_URL)";
  }
}

/** Fails with one readable line when the database cannot be reached, before migrations make a stack of it. */
export async function assertDatabaseReachable(db: Db, url: string): Promise<void> {
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const detail = !message ? code : code && !message.includes(code) ? `${code}: ${message}` : message;
    throw new DatabaseUnreachableError(`the database at ${databaseAddress(url)} cannot be reached (${detail})`, { cause: error });
  }
}
