import { randomUUID } from "node:crypto";
import { steeringOf, steeringWords, type Steering } from "./steering.js";

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

const steeringNames = Object.keys(steeringWords) as Array<keyof Steering>;

/**
 * A task's id carries everything its course depends on (kind, creation time, duration, steering):
 * `sim-<v|i>-<created ms>-<duration ms>-<steering bits>-<random>`, numbers in base 36. Any simulator
 * instance, a restarted one too, answers a poll of it as the one that created it would.
 */
function encodeId(task: Omit<SimulatedTask, "id" | "busyAnswers">): string {
  const bits = steeringNames.reduce((sum, name, index) => sum + (task.steering[name] ? 2 ** index : 0), 0);
  const numbers = [task.createdAt, task.durationMs, bits].map((n) => n.toString(36)).join("-");
  return `sim-${task.kind === "video" ? "v" : "i"}-${numbers}-${randomUUID().slice(0, 8)}`;
}

const idShape = /^sim-([vi])-([0-9a-z]{1,12})-([0-9a-z]{1,12})-([0-9a-z]{1,4})-[0-9a-f]{8}$/;

/** The task an id describes, or undefined for an id this simulator never made. */
export function decodeId(id: string): SimulatedTask | undefined {
  const match = idShape.exec(id);
  if (!match) return undefined;
  const [, kind = "", created = "", duration = "", bits = ""] = match;
  const flags = parseInt(bits, 36);
  const steering = Object.fromEntries(steeringNames.map((name, index) => [name, (flags & (2 ** index)) !== 0])) as Steering;
  return {
    id,
    kind: kind === "v" ? "video" : "image",
    createdAt: parseInt(created, 36),
    durationMs: parseInt(duration, 36),
    steering,
    busyAnswers: 0,
  };
}

/** The simulator's memory: its tasks and the requests it received (for measuring calls per task). */
export class SimulatorState {
  readonly tasks = new Map<string, SimulatedTask>();
  readonly counts = { submit: 0, result: 0, other: 0 };
  constructor(readonly options: SimulatorOptions) {}

  create(kind: SimulatedTask["kind"], prompt: unknown): SimulatedTask {
    const steering = steeringOf(prompt);
    const course = { kind, createdAt: Date.now(), durationMs: this.options.taskMs * (steering.slow ? 10 : 1), steering };
    const task: SimulatedTask = { ...course, id: encodeId(course), busyAnswers: 0 };
    this.tasks.set(task.id, task);
    return task;
  }

  /** A task by id: this instance's, or one that another instance (before a restart) created. */
  find(id: string): SimulatedTask | undefined {
    const known = this.tasks.get(id);
    if (known) return known;
    const decoded = decodeId(id);
    if (decoded) this.tasks.set(id, decoded);
    return decoded;
  }
}

/** Where a task stands now, in GrsAI's progress terms. */
export function progressOf(task: SimulatedTask, baseUrl: string) {
  const elapsed = Date.now() - task.createdAt;
  const { steering } = task;
  const base = {
    id: task.id,
    results: [] as { url: string; content?: string }[],
    progress: 0,
    status: "running",
    failure_reason: "",
    error: "",
  };
  if (steering.never || elapsed < task.durationMs) {
    const progress = Math.min(95, Math.floor((elapsed / task.durationMs) * 100));
    return { ...base, progress: steering.never ? Math.min(progress, 50) : progress };
  }
  // Public GrsAI clients stop at `violation` (progress 0, the reason in `error`), as at `failed`.
  if (steering.violation) return { ...base, progress: 0, status: "violation", error: "content violates the usage policy" };
  if (steering.moderation)
    return { ...base, progress: 100, status: "failed", failure_reason: "output_moderation", error: "output blocked by moderation" };
  if (steering.inputModeration)
    return { ...base, progress: 100, status: "failed", failure_reason: "input_moderation", error: "input blocked by moderation" };
  if (steering.fail) return { ...base, progress: 100, status: "failed", failure_reason: "error", error: "simulated failure" };
  const url = `${baseUrl}/files/${task.id}.${task.kind === "video" ? "mp4" : "png"}`;
  return { ...base, progress: 100, status: "succeeded", results: [{ url, content: "simulated" }] };
}
