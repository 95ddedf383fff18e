import type { CreateTaskResponse, GenerationResult, TaskSnapshot, TaskSummary } from "@ocean1/contract";
import type { Task } from "../../db/schema.js";
import { failureCodeOf } from "../../providers/outcome.js";

/** The options a task is made as, when it recorded them (tasks from before the column show none). */
function optionsOf(task: Task): { options?: Record<string, string> } {
  return Object.keys(task.options).length > 0 ? { options: task.options } : {};
}

/** `result_url` and every result with it (`result_urls`), when the task has a result. */
function resultsOf(task: Task): { result_url?: string; result_urls?: string[] } {
  if (!task.result_url) return {};
  return { result_url: task.result_url, result_urls: task.result_urls ?? [task.result_url] };
}

export function toSnapshot(task: Task): TaskSnapshot {
  return {
    id: task.public_id,
    status: task.status,
    progress: task.progress,
    ...resultsOf(task),
    ...optionsOf(task),
  };
}

/** What a create call answers (DESIGN.md §6): a failed task is `status:"failed"` with its message. */
export function toCreateAnswer(task: Task): CreateTaskResponse {
  if (task.status === "failed") {
    return {
      status: "failed",
      msg: task.failure_message ?? "生成失败",
      code: failureCodeOf(task.failure_message),
      data: { id: task.public_id, status: "failed" },
    };
  }
  return { status: "success", data: toSnapshot(task) };
}

export function toGenerationResult(task: Task): GenerationResult {
  return {
    status: task.status,
    progress: task.progress,
    ...resultsOf(task),
    ...(task.failure_message ? { msg: task.failure_message } : {}),
    ...(task.status === "failed" ? { code: failureCodeOf(task.failure_message) } : {}),
  };
}

export function toSummary(task: Task): TaskSummary {
  return {
    id: task.public_id,
    kind: task.kind,
    model: task.model,
    status: task.status,
    progress: task.progress,
    ...resultsOf(task),
    ...(task.result_at ? { result_at: task.result_at.toISOString() } : {}),
    ...(task.failure_message ? { msg: task.failure_message } : {}),
    ...optionsOf(task),
    cost: task.cost,
    created_at: task.created_at.toISOString(),
  };
}
