import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "../db/schema.js";

/** At most `max` hits per fixed window of `windowSeconds` for `key`. */
export interface Limit {
  key: string;
  max: number;
  windowSeconds: number;
}

/** At most one hit per `seconds`, counted from the last hit itself (not a fixed window). */
export interface Cooldown {
  key: string;
  cooldownSeconds: number;
}

type AnyLimit = Limit | Cooldown;

function cooldownKey(cooldown: Cooldown): string {
  return `${cooldown.key}@cooldown`;
}

/** Starts the cooldown unless it is still running; true when it started. */
async function startCooldown(trx: Transaction<Database>, cooldown: Cooldown, now: Date): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + cooldown.cooldownSeconds * 1000);
  const row = await trx
    .insertInto("rate_limits")
    .values({ key: cooldownKey(cooldown), hits: 1, expires_at: expiresAt })
    .onConflict((oc) => oc.column("key").doUpdateSet({ hits: 1, expires_at: expiresAt }).where("rate_limits.expires_at", "<=", now))
    .returning("hits")
    .executeTakeFirst();
  return row !== undefined;
}

/** Milliseconds until the cooldown lets the next hit through (0 when it does now). */
export async function cooldownRemainingMs(db: Kysely<Database>, cooldown: Cooldown, now: Date): Promise<number> {
  const row = await db.selectFrom("rate_limits").select("expires_at").where("key", "=", cooldownKey(cooldown)).executeTakeFirst();
  return row ? Math.max(0, row.expires_at.getTime() - now.getTime()) : 0;
}

function bucket(limit: Limit, now: Date): { key: string; expiresAt: Date } {
  const windowMs = limit.windowSeconds * 1000;
  const start = Math.floor(now.getTime() / windowMs) * windowMs;
  return { key: `${limit.key}@${limit.windowSeconds}:${start}`, expiresAt: new Date(start + windowMs) };
}

/**
 * Counts one hit against every limit, all or nothing: when any limit is already full nothing is
 * counted and the answer is false. Counters live in PostgreSQL, so every instance shares them.
 */
export async function tryConsume(db: Kysely<Database>, limits: AnyLimit[], now: Date): Promise<boolean> {
  const refused = Symbol("refused");
  try {
    await db.transaction().execute(async (trx) => {
      for (const limit of limits) {
        if ("cooldownSeconds" in limit) {
          if (!(await startCooldown(trx, limit, now))) throw refused;
          continue;
        }
        const { key, expiresAt } = bucket(limit, now);
        const row = await trx
          .insertInto("rate_limits")
          .values({ key, hits: 1, expires_at: expiresAt })
          .onConflict((oc) =>
            oc
              .column("key")
              .doUpdateSet({ hits: sql`rate_limits.hits + 1` })
              .where("rate_limits.hits", "<", limit.max),
          )
          .returning("hits")
          .executeTakeFirst();
        if (!row || row.hits > limit.max) throw refused;
      }
    });
    return true;
  } catch (error) {
    if (error === refused) return false;
    throw error;
  }
}

/** True when any of the limits is full (nothing is counted). */
export async function isLimited(db: Kysely<Database>, limits: Limit[], now: Date): Promise<boolean> {
  const buckets = limits.map((limit) => ({ ...bucket(limit, now), max: limit.max }));
  if (buckets.length === 0) return false;
  const rows = await db
    .selectFrom("rate_limits")
    .select(["key", "hits"])
    .where(
      "key",
      "in",
      buckets.map((b) => b.key),
    )
    .execute();
  return rows.some((row) => row.hits >= (buckets.find((b) => b.key === row.key)?.max ?? Infinity));
}

/**
 * Gives back one hit reserved with `tryConsume` (an attempt that succeeded after all). Reserving
 * first and releasing on success is what holds a failure limit under a burst of concurrent tries.
 */
export async function releaseHit(db: Kysely<Database>, limits: Limit[], now: Date): Promise<void> {
  for (const limit of limits) {
    await db
      .updateTable("rate_limits")
      .set({ hits: sql`greatest(hits - 1, 0)` })
      .where("key", "=", bucket(limit, now).key)
      .execute();
  }
}

export async function deleteExpiredLimits(db: Kysely<Database>, now: Date): Promise<number> {
  const result = await db.deleteFrom("rate_limits").where("expires_at", "<", now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
