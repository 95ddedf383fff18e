import {
  tasksPageSize,
  type ListTasksRequest,
  type ListTasksResponse,
  type QueryResultRequest,
  type QueryResultResponse,
} from "@ocean1/contract";
import type { AppDeps } from "../../deps.js";
import { AppError } from "../../errors/app-error.js";
import { toGenerationResult, toSummary } from "./answers.js";
import { findTask, findTaskOfUser, listTasksOfUser } from "../../tasks/queries.js";
import { refreshTasks } from "../../tasks/reconciler.js";
import { isFinal } from "../../tasks/watcher.js";

/**
 * The caller's own task (anyone else's id is "not found", like an id that does not exist). While it
 * runs, it is refreshed from upstream at most every few seconds, however often it is polled.
 */
export async function queryResult(deps: AppDeps, userId: number, request: QueryResultRequest): Promise<QueryResultResponse> {
  let task = await findTaskOfUser(deps.db, request.id, userId);
  if (!task) throw new AppError("TASK_NOT_FOUND", "任务不存在", "id");
  if (!isFinal(task)) {
    await refreshTasks(deps, [task.id], { userPoll: true });
    task = (await findTask(deps.db, task.id)) ?? task;
  }
  return { status: "success", data: toGenerationResult(task) };
}

/** The caller's tasks, newest first, paged like the history. */
export async function listTasks(deps: AppDeps, userId: number, request: ListTasksRequest): Promise<ListTasksResponse> {
  let beforeId: number | undefined;
  if (request.before !== undefined) {
    const before = await findTaskOfUser(deps.db, request.before, userId);
    if (!before) throw new AppError("TASK_NOT_FOUND", "翻页起点的任务不存在，请从第一页重新加载", "before");
    beforeId = before.id;
  }
  const tasks = await listTasksOfUser(deps.db, userId, { limit: request.limit ?? tasksPageSize.default, beforeId });
  return { status: "success", data: tasks.map(toSummary) };
}
