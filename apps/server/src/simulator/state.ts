import { randomUUID } from "node:crypto";
import { steeringOf, type Steering } from "./steering.js";

export interface SimulatedTask {
  id: string;
  kind: "video" | "image";
  createdAt: number;
  durationMs: number;
  steering: Steering;
  /** `[busy]`: polls answered 429 so far. */
  busyAnswers: number;
}

export interface SimulatorOptions {
  /** How long a task takes to finish (`[slow]`: ten times as long). */
  taskMs: number;
}

/** The simulator's memory: its tasks and the requests it received (for measuring calls per task). */
export class SimulatorState {
  readonly tasks = new Map<string, SimulatedTask>();
  readonly counts = { submit: 0, result: 0, other: 0 };
  constructor(readonly options: SimulatorOptions) {}

  create(kind: SimulatedTask["kind"], prompt: unknown): SimulatedTask {
    const steering = steeringOf(prompt);
    const task: SimulatedTask = {
      id: `sim-${randomUUID()}`,
      kind,
      createdAt: Date.now(),
      durationMs: this.options.taskMs * (steering.slow ? 10 : 1),
      steering,
      busyAnswers: 0,
    };
    this.tasks.set(task.id, task);
    return task;
  }
}

/** Where a task stands now, in GrsAI's progress terms. */
export function progressOf(task: SimulatedTask, baseUrl: string) {
  const elapsed = Date.now() - task.createdAt;
  const { steering } = task;
  const base = { id: task.id, results: [] as { url: string; content?: string }[], progress: 0, status: "running", failure_reason: "", error: "" };
  if (steering.never || elapsed < task.durationMs) {
    const progress = Math.min(95, Math.floor((elapsed / task.durationMs) * 100));
    return { ...base, progress: steering.never ? Math.min(progress, 50) : progress };
  }
  if (steering.moderation) return { ...base, progress: 100, status: "failed", failure_reason: "output_moderation", error: "output blocked by moderation" };
  if (steering.inputModeration) return { ...base, progress: 100, status: "failed", failure_reason: "input_moderation", error: "input blocked by moderation" };
  if (steering.fail) return { ...base, progress: 100, status: "failed", failure_reason: "error", error: "simulated failure" };
  const url = `${baseUrl}/files/${task.id}.${task.kind === "video" ? "mp4" : "png"}`;
  return { ...base, progress: 100, status: "succeeded", results: [{ url, content: "simulated" }] };
}
