import type { Kysely } from "kysely";
import type { Database } from "./schema.js";

interface Waiter<Key, Result> {
  key: Key;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

/**
 * A read that every caller of one turn of the event loop shares: the lookups that arrive in the
 * same turn are answered by one statement (`read` gets their keys, answers one result per key, in
 * order). Under load dozens of calls cost one round trip and one execution instead of dozens. Not
 * a cache: each caller's read is run after it asked. A transaction's reads run alone, at once, on
 * its own connection.
 */
export function batchedRead<Key, Result>(
  read: (db: Kysely<Database>, keys: Key[]) => Promise<Result[]>,
  maxBatch: number,
): (db: Kysely<Database>, key: Key) => Promise<Result> {
  const queues = new WeakMap<Kysely<Database>, Array<Waiter<Key, Result>>>();

  async function flush(db: Kysely<Database>, waiters: Array<Waiter<Key, Result>>): Promise<void> {
    try {
      const results = await read(
        db,
        waiters.map((waiter) => waiter.key),
      );
      waiters.forEach((waiter, i) => waiter.resolve(results[i] as Result));
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
    }
  }

  return (db, key) =>
    new Promise((resolve, reject) => {
      if (db.isTransaction) return void flush(db, [{ key, resolve, reject }]);
      let queue = queues.get(db);
      if (!queue) {
        const fresh: Array<Waiter<Key, Result>> = [];
        queue = fresh;
        queues.set(db, fresh);
        setImmediate(() => {
          queues.delete(db);
          for (let start = 0; start < fresh.length; start += maxBatch) void flush(db, fresh.slice(start, start + maxBatch));
        });
      }
      queue.push({ key, resolve, reject });
    });
}
