import { taskIdPattern, type HistoryRecord, type TaskStatus } from "@ocean1/contract";
import type { AppDeps } from "../../deps.js";
import { AppError } from "../../errors/app-error.js";
import { requireUser } from "../user/operator.js";
import { taskRef } from "../points/refs.js";

/** One row of `tasks list` (DESIGN.md §9: at least these snake_case keys). */
export interface TaskListRow {
  id: string;
  email: string;
  kind: string;
  model: string;
  status: TaskStatus;
  progress: number;
  cost: number;
  result_url: string | null;
  created_at: Date;
}

export interface TaskListFilter {
  status?: TaskStatus | undefined;
  email?: string | undefined;
  limit: number;
}

export async function listTasksForOperator(deps: Pick<AppDeps, "db">, filter: TaskListFilter): Promise<TaskListRow[]> {
  const { status } = filter;
  let query = deps.db
    .selectFrom("tasks")
    .innerJoin("users", "users.id", "tasks.user_id")
    .select([
      "tasks.public_id as id",
      "users.email",
      "tasks.kind",
      "tasks.model",
      "tasks.status",
      "tasks.progress",
      "tasks.cost",
      "tasks.result_url",
      "tasks.created_at",
    ])
    .orderBy("tasks.id", "desc")
    .limit(filter.limit);
  if (status) query = query.where("tasks.status", "=", status);
  if (filter.email !== undefined) query = query.where("tasks.user_id", "=", (await requireUser(deps.db, filter.email)).id);
  return query.execute();
}

export interface TaskDetails extends TaskListRow {
  upstream_model: string;
  upstream_id: string | null;
  request: Record<string, unknown>;
  /** What the task is made as, in the request's terms (`imageSize: "1K"` for a model with one size). */
  options: Record<string, string>;
  result_at: Date | null;
  failure_message: string | null;
  failure_detail: string | null;
  upstream_calls: number;
  lease_owner: string | null;
  lease_until: Date | null;
  next_poll_at: Date;
  finished_at: Date | null;
  ledger: Array<Omit<HistoryRecord, "created_at"> & { created_at: Date }>;
}

/** One task with its upstream id and the ledger rows that charged and refunded it (never a key). */
export async function showTask(deps: Pick<AppDeps, "db">, publicId: string): Promise<TaskDetails> {
  // Not an id at all (a NUL would not even reach PostgreSQL): no such task.
  if (!taskIdPattern.test(publicId.trim())) throw new AppError("TASK_NOT_FOUND", "任务不存在：任务编号格式不正确");
  const task = await deps.db
    .selectFrom("tasks")
    .innerJoin("users", "users.id", "tasks.user_id")
    .selectAll("tasks")
    .select("users.email")
    .where("tasks.public_id", "=", publicId.trim())
    .executeTakeFirst();
  if (!task) throw new AppError("TASK_NOT_FOUND", `任务不存在：${publicId}`);
  const ledger = await deps.db
    .selectFrom("ledger")
    .select(["id", "type", "amount", "balance_after", "description", "created_at"])
    .where("user_id", "=", task.user_id)
    .where("ref", "=", taskRef(task.public_id))
    .orderBy("id")
    .execute();
  return {
    id: task.public_id,
    email: task.email,
    kind: task.kind,
    model: task.model,
    status: task.status,
    progress: task.progress,
    cost: task.cost,
    result_url: task.result_url,
    created_at: task.created_at,
    upstream_model: task.upstream_model,
    upstream_id: task.upstream_id,
    request: task.request,
    options: task.options,
    result_at: task.result_at,
    failure_message: task.failure_message,
    failure_detail: task.failure_detail,
    upstream_calls: task.upstream_calls,
    lease_owner: task.lease_owner,
    lease_until: task.lease_until,
    next_poll_at: task.next_poll_at,
    finished_at: task.finished_at,
    ledger,
  };
}
