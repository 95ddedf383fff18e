import { CompiledQuery, Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from "kysely";
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

/** Every statement of the app is short: one limit keeps a stalled database inside the clients' budgets (8 s for a heartbeat). */
export const defaultQueryTimeoutMs = 4_000;

export interface DatabaseOptions {
  url: string;
  poolSize?: number;
  /** Server-side statement limit and client-side wait for an answer or a connection; 0 means none (migrations). */
  queryTimeoutMs?: number;
  /** A connection that PostgreSQL ends (restart, pg_terminate_backend, network): logged, then discarded. */
  onConnectionError?: (error: Error) => void;
}

/**
 * node-postgres emits `error` on a client that PostgreSQL disconnects; a checked-out client has no
 * listener of the pool's, and an unheard `error` event kills the process (node-postgres #2439).
 * Every client gets a listener of its own for its whole life. A query that the client gave up
 * waiting for (`query_timeout`) still occupies its connection, so that connection is destroyed on
 * release instead of going back to the pool.
 */
const clientTimeoutMessage = "Query read timeout";

/** SQLSTATE of "cached plan must not change result type": a prepared statement outlived a schema change. */
const cachedPlanChanged = "0A000";

/**
 * Statements of the hottest paths, run as named prepared statements: PostgreSQL parses and plans
 * each once per connection instead of on every call (most of a one-row read's database CPU).
 * Only fixed texts registered here are named, so the number of statements per connection is bounded.
 */
const preparedNames = new Map<string, string>();

/** A query of a fixed text that runs as a named prepared statement (`db.executeQuery(prepared(...))`). */
export function prepared<Row>(text: string, parameters: readonly unknown[]): CompiledQuery<Row> {
  if (!preparedNames.has(text)) preparedNames.set(text, `ocean1_${preparedNames.size + 1}`);
  return CompiledQuery.raw(text, [...parameters]) as CompiledQuery<Row>;
}

function resilientPool(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      let broken = false;
      const run = (args: unknown[]): unknown => {
        const name = typeof args[0] === "string" ? preparedNames.get(args[0]) : undefined;
        if (!name) return (client.query as (...a: unknown[]) => unknown)(...args);
        const values = args[1] as unknown[];
        return client.query({ name, text: args[0] as string, values }).catch((error: unknown) => {
          if ((error as { code?: unknown }).code !== cachedPlanChanged) throw error;
          // A migration changed a table under the statement: answer unprepared, and retire this connection.
          broken = true;
          return client.query(args[0] as string, values);
        });
      };
      return {
        query: ((...args: unknown[]) => {
          const result = run(args);
          if (result instanceof Promise) {
            return result.catch((error: unknown) => {
              if (error instanceof Error && error.message === clientTimeoutMessage) broken = true;
              throw error;
            });
          }
          return result;
        }) as PostgresPoolClient["query"],
        release(destroy?: boolean) {
          client.release(destroy || broken);
        },
      };
    },
    end: () => pool.end(),
  };
}

export function createDatabase({
  url,
  poolSize = 20,
  queryTimeoutMs = defaultQueryTimeoutMs,
  onConnectionError = () => {},
}: DatabaseOptions): Db {
  const limits =
    queryTimeoutMs > 0
      ? {
          statement_timeout: queryTimeoutMs,
          lock_timeout: queryTimeoutMs,
          idle_in_transaction_session_timeout: 4 * queryTimeoutMs,
          // The server cancels a slow statement itself; the client stops waiting a little later, for a stalled server.
          query_timeout: queryTimeoutMs + 1_000,
          connectionTimeoutMillis: queryTimeoutMs,
        }
      : { connectionTimeoutMillis: 30_000 };
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    ...limits,
  });
  pool.on("connect", (client) => client.on("error", onConnectionError));
  pool.on("error", () => {}); // already reported by the client's own listener above
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: resilientPool(pool) }) });
  pools.set(db, pool);
  return db;
}

const pools = new WeakMap<Db, pg.Pool>();

export interface PoolUsage {
  total: number;
  idle: number;
  waiting: number;
}

/** Connections open, idle, and callers waiting for one (for /metrics); undefined for a Db not made here. */
export function poolUsage(db: Db): PoolUsage | undefined {
  const pool = pools.get(db);
  return pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : undefined;
}
