import type { Kysely } from "kysely";
import { prepared } from "../../db/database.js";
import type { Database } from "../../db/schema.js";
import type { AuthenticatedUser } from "./sessions.js";

export type SessionRow = AuthenticatedUser & { last_seen_at: Date };

interface Waiter {
  email: string;
  deviceHash: string;
  idleSince: Date;
  resolve(row: SessionRow | undefined): void;
  reject(error: unknown): void;
}

/** At most this many lookups share one statement. */
const maxBatch = 200;

/**
 * Every session lookup that arrives in one turn of the event loop is answered by one statement:
 * under load, dozens of heartbeats cost one round trip and one execution instead of dozens. Not a
 * cache: each lookup reads the database after it was asked, so a kick-off is seen at once.
 */
const batchQuery = `select q.i::int as i, u.id, u.email, u.nickname, u.points, u.last_reward_day, s.last_seen_at
  from unnest($1::text[], $2::text[], $3::timestamptz[]) with ordinality as q(email, device_hash, idle_since, i)
  join users u on u.email = q.email and u.disabled_at is null
  join sessions s on s.user_id = u.id and s.device_hash = q.device_hash and s.last_seen_at > q.idle_since`;

const queues = new WeakMap<Kysely<Database>, Waiter[]>();

async function flush(db: Kysely<Database>, waiters: Waiter[]): Promise<void> {
  try {
    const { rows } = await db.executeQuery(
      prepared<SessionRow & { i: number }>(batchQuery, [
        waiters.map((w) => w.email),
        waiters.map((w) => w.deviceHash),
        waiters.map((w) => w.idleSince),
      ]),
    );
    const found = new Map(rows.map(({ i, ...row }) => [i, row]));
    waiters.forEach((waiter, k) => waiter.resolve(found.get(k + 1)));
  } catch (error) {
    for (const waiter of waiters) waiter.reject(error);
  }
}

/** The session row of (email, device hash) still active after `idleSince`, read with the lookups of the same turn. */
export function readSession(db: Kysely<Database>, email: string, deviceHash: string, idleSince: Date): Promise<SessionRow | undefined> {
  return new Promise((resolve, reject) => {
    // A transaction's statements run on its own connection, now: never deferred into a shared batch.
    if (db.isTransaction) return void flush(db, [{ email, deviceHash, idleSince, resolve, reject }]);
    let queue = queues.get(db);
    if (!queue) {
      const fresh: Waiter[] = [];
      queue = fresh;
      queues.set(db, fresh);
      setImmediate(() => {
        queues.delete(db);
        for (let start = 0; start < fresh.length; start += maxBatch) void flush(db, fresh.slice(start, start + maxBatch));
      });
    }
    queue.push({ email, deviceHash, idleSince, resolve, reject });
  });
}
