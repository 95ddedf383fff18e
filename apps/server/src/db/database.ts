import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "./schema.js";

export type Db = Kysely<Database>;

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

/** Points and ids are integers well inside 2^53; dates stay `YYYY-MM-DD` strings, free of the process time zone. */
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    if (oid === DATE) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  },
};

export interface DatabaseOptions {
  url: string;
  poolSize?: number;
  onPoolError?: (error: Error) => void;
}

export function createDatabase({ url, poolSize = 20, onPoolError }: DatabaseOptions): Db {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types, connectionTimeoutMillis: 10_000 });
  if (onPoolError) pool.on("error", onPoolError);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
