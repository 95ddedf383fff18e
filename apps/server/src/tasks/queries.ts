import { unfinishedTaskStatuses } from "@ocean1/contract";
import { sql, type Kysely, type Transaction } from "kysely";
import { prepared } from "../db/database.js";
import type { Database, Task } from "../db/schema.js";

type Db = Kysely<Database> | Transaction<Database>;

/** The unfinished statuses (the contract's), as SQL: `status in ${unfinishedSql}` (literals, so a prepared plan stays one). */
export const unfinished = unfinishedTaskStatuses;
export const unfinishedSql = sql`(${sql.join(unfinished.map((status) => sql.lit(status)))})`;

export async function findTaskOfUser(db: Db, publicId: string, userId: number): Promise<Task | undefined> {
  return db.selectFrom("tasks").selectAll().where("public_id", "=", publicId).where("user_id", "=", userId).executeTakeFirst();
}

export async function findTask(db: Db, id: number): Promise<Task | undefined> {
  return db.selectFrom("tasks").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findTasks(db: Db, ids: readonly number[]): Promise<Task[]> {
  if (ids.length === 0) return [];
  return db.selectFrom("tasks").selectAll().where("id", "in", ids).execute();
}

/** What a watcher needs to know whether a held task moved: a fixed text, run prepared (every second, for every held task). */
const statesQuery = "select id, status, progress from tasks where id = any($1::bigint[])";

export type TaskState = Pick<Task, "id" | "status" | "progress">;

export async function findTaskStates(db: Kysely<Database>, ids: readonly number[]): Promise<TaskState[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.executeQuery(prepared<TaskState>(statesQuery, [ids]));
  return rows;
}

export interface TaskPage {
  limit: number;
  /** Only tasks older than the task with this internal id. */
  beforeId?: number | undefined;
}

/** A user's tasks, newest first, served by the (user_id, id desc) index. */
export async function listTasksOfUser(db: Db, userId: number, page: TaskPage): Promise<Task[]> {
  let query = db.selectFrom("tasks").selectAll().where("user_id", "=", userId).orderBy("id", "desc").limit(page.limit);
  if (page.beforeId !== undefined) query = query.where("id", "<", page.beforeId);
  return query.execute();
}

export interface ClaimRequest {
  owner: string;
  leaseMs: number;
  limit: number;
  /** Only these tasks (the ones someone waits for). */
  ids?: readonly number[];
  /**
   * A user's poll may refresh a task sooner than its schedule: when it was last polled at least this
   * long ago and is not backing off.
   */
  refreshAfterMs?: number;
}

/** What working a leased task needs: no prompt, no result, no timestamps (60 of these a second). */
export type ClaimedTask = Pick<Task, "id" | "public_id" | "kind" | "provider" | "endpoint" | "upstream_id" | "poll_failures"> & {
  age_ms: number;
  /** How long its polls have failed in a row (0 while they answer). */
  failing_ms: number;
};

/**
 * Leases unfinished tasks that are due and not leased by anyone, on the database's clock. SKIP
 * LOCKED lets several instances claim at once without ever claiming the same task.
 */
export async function claimDueTasks(db: Db, request: ClaimRequest): Promise<ClaimedTask[]> {
  const due =
    request.refreshAfterMs === undefined
      ? sql`next_poll_at <= now()`
      : sql`(next_poll_at <= now() or (poll_failures = 0 and (polled_at is null or polled_at <= now() - make_interval(secs => ${request.refreshAfterMs / 1000}))))`;
  const onlyIds = request.ids ? sql`and id = any(${sql.val([...request.ids])}::bigint[])` : sql``;
  const { rows } = await sql<ClaimedTask>`
    update tasks t
    set lease_owner = ${request.owner}, lease_until = now() + make_interval(secs => ${request.leaseMs / 1000}), updated_at = now()
    from (
      select id from tasks
      where status in ${unfinishedSql}
        and (lease_until is null or lease_until < now())
        and ${due} ${onlyIds}
      order by next_poll_at
      limit ${request.limit}
      for update skip locked
    ) due
    where t.id = due.id
    returning t.id, t.public_id, t.kind, t.provider, t.endpoint, t.upstream_id, t.poll_failures, extract(epoch from now() - t.created_at) * 1000 as age_ms,
      coalesce(extract(epoch from now() - t.poll_failing_since) * 1000, 0)::float8 as failing_ms`.execute(db);
  return rows;
}

/** The upstream accepted the task: it is followed by polling from now on. */
export async function recordAccepted(db: Db, id: number, upstreamId: string, nextPollMs: number, upstreamCalls: number): Promise<void> {
  await db
    .updateTable("tasks")
    .set({
      upstream_id: upstreamId,
      status: "processing",
      lease_owner: null,
      lease_until: null,
      next_poll_at: sql`now() + make_interval(secs => ${nextPollMs / 1000})`,
      upstream_calls: sql`upstream_calls + ${upstreamCalls}`,
      updated_at: sql`now()`,
    })
    .where("id", "=", id)
    .where("status", "in", unfinished)
    .execute();
}

/** Extends a lease the caller holds (a long synchronous upstream call). */
/** Extends this instance's leases of the given tasks that are still unfinished. */
export async function renewLeases(db: Db, ids: readonly number[], owner: string, leaseMs: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable("tasks")
    .set({ lease_until: sql`now() + make_interval(secs => ${leaseMs / 1000})` })
    .where("id", "in", ids)
    .where("lease_owner", "=", owner)
    .where("status", "in", unfinished)
    .execute();
}
