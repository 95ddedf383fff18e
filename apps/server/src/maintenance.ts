import type { Db } from "./db/database.js";
import { deleteExpiredLimits } from "./lib/rate-limit.js";
import { deleteStaleCodes } from "./modules/auth/code-queries.js";

/** Drops state that no rule reads any more. Safe to run from every instance at once. */
export async function pruneExpiredState(db: Db, now: Date): Promise<{ rateLimits: number; codes: number }> {
  return { rateLimits: await deleteExpiredLimits(db, now), codes: await deleteStaleCodes(db, now) };
}
