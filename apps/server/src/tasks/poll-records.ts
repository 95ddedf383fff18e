import { sql } from "kysely";
import type { Db } from "../db/database.js";
import { unfinishedSql } from "./queries.js";

/** A poll that answered "still running" (or failed transiently): what to record on its task. */
export interface PollRecord {
  id: number;
  /** The upstream's progress, if it said one (progress only moves forward). */
  progress?: number | undefined;
  failed: boolean;
  nextPollMs: number;
}

/**
 * Records the polls of one reconciler pass in one statement: each releases its task's lease and
 * schedules its next poll. One round trip per pass instead of one per poll: with a thousand running
 * tasks the per-statement socket write was a quarter of the instance's CPU (docs/performance.md).
 * Only tasks still leased by `owner` and unfinished are touched.
 */
export async function recordPolls(db: Db, owner: string, polls: readonly PollRecord[]): Promise<void> {
  if (polls.length === 0) return;
  const ids = polls.map((p) => p.id);
  const progress = polls.map((p) => p.progress ?? null);
  const failed = polls.map((p) => p.failed);
  const nextSeconds = polls.map((p) => p.nextPollMs / 1000);
  await sql`
    update tasks t
    set status = 'processing',
        progress = case when r.progress is null then t.progress else greatest(t.progress, r.progress) end,
        poll_failures = case when r.failed then t.poll_failures + 1 else 0 end,
        poll_failing_since = case when r.failed then coalesce(t.poll_failing_since, now()) else null end,
        lease_owner = null,
        lease_until = null,
        polled_at = now(),
        next_poll_at = now() + make_interval(secs => r.next_seconds),
        upstream_calls = t.upstream_calls + 1,
        updated_at = now()
    from unnest(${sql.val(ids)}::bigint[], ${sql.val(progress)}::int[], ${sql.val(failed)}::boolean[], ${sql.val(nextSeconds)}::float8[])
      as r(id, progress, failed, next_seconds)
    where t.id = r.id and t.lease_owner = ${owner} and t.status in ${unfinishedSql}`.execute(db);
}
