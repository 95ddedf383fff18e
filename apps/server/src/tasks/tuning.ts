import type { TaskKind } from "@ocean1/contract";
import type { ProviderTimeouts } from "../providers/provider.js";

/** The kinds made by one synchronous call (Jimeng). */
export type SyncKind = Extract<TaskKind, "jimeng_image" | "jimeng_video">;
const isSyncKind = (kind: TaskKind): kind is SyncKind => kind === "jimeng_image" || kind === "jimeng_video";

/** The timings of the task machinery. Production uses the defaults; tests shorten them. */
export interface GenerationTuning {
  /** A held answer writes one whitespace byte (or an SSE comment) this often. */
  keepAliveMs: number;
  /** The watcher's loop: how often held requests see their tasks' state. */
  watchIntervalMs: number;
  /** The reconciler's loop over every due task. */
  reconcileIntervalMs: number;
  reconcileBatch: number;
  /** How long a claimed task stays leased to the instance polling it. */
  leaseMs: number;
  /** A task without an upstream id this long after its creation was cut off: failed and refunded. */
  submitGraceMs: number;
  submitTimeoutMs: number;
  pollTimeoutMs: number;
  /** Pauses between submit attempts after a 429 / 5xx / connection failure. */
  submitRetryDelaysMs: number[];
  /**
   * The first poll interval; it grows for long tasks (×2.5 after a minute, ×7.5 after five). A sora
   * video takes minutes: it starts at the ×2.5 step (see `pollInterval`).
   */
  pollIntervalMs: number;
  /** A user's `draw/result` refreshes a task from upstream at most this often. */
  refreshMinMs: number;
  /** Backoff after a transient failure: pollIntervalMs × 2^failures, at most this. */
  maxBackoffMs: number;
  /**
   * A task whose polls have failed (429, 5xx, an error code, an unreadable answer, a timeout) for this
   * long in a row fails and is refunded (`GRSAI_POLL_FAILURE_MINUTES`); a failed poll alone says nothing
   * about the task.
   */
  pollFailureWindowMs: number;
  /**
   * The relay may not know a task it has just accepted (`code:-22`): within this long of the submit
   * it is pending, after it lost (`GRSAI_NOT_FOUND_GRACE_SECONDS`).
   */
  lostGraceMs: number;
  maxInFlightPerProvider: number;
  /** At most this many upstream polls a second per instance, the most overdue tasks first (`PollBudget`). */
  maxPollsPerSecond: number;
  /**
   * How long one synchronous provider call may take, by kind: jimeng-api polls ByteDance for up to 30
   * minutes for an image and 60 for a video and goes on when its caller leaves, so we wait as long
   * (`JIMENG_IMAGE_TIMEOUT_MINUTES`, `JIMENG_VIDEO_TIMEOUT_MINUTES`); the task shows processing meanwhile.
   */
  syncCallTimeoutMs: Record<SyncKind, number>;
  maxAgeMs: Record<TaskKind, number>;
}

export const defaultTuning: GenerationTuning = {
  keepAliveMs: 15_000,
  watchIntervalMs: 1_000,
  reconcileIntervalMs: 2_000,
  reconcileBatch: 200,
  leaseMs: 30_000,
  submitGraceMs: 120_000,
  submitTimeoutMs: 30_000,
  pollTimeoutMs: 15_000,
  submitRetryDelaysMs: [1_000, 3_000],
  pollIntervalMs: 2_000,
  refreshMinMs: 3_000,
  maxBackoffMs: 60_000,
  pollFailureWindowMs: 10 * 60_000,
  lostGraceMs: 60_000,
  maxInFlightPerProvider: 16,
  maxPollsPerSecond: 60,
  syncCallTimeoutMs: { jimeng_image: 30 * 60_000, jimeng_video: 60 * 60_000 },
  maxAgeMs: { sora: 45 * 60_000, banana: 20 * 60_000, jimeng_video: 30 * 60_000, jimeng_image: 20 * 60_000 },
};

/**
 * Polling slows down as a task ages: 2 s in the first minute, 5 s up to five, 15 s after. A sora video
 * takes minutes, so it is polled every 5 s from the start: polling a thousand held videos every 2 s cost
 * an instance a third of a core (docs/performance.md) and told nobody anything sooner.
 */
export function pollInterval(tuning: GenerationTuning, ageMs: number, kind: TaskKind): number {
  if (ageMs >= 5 * 60_000) return tuning.pollIntervalMs * 7.5;
  if (ageMs >= 60_000 || kind === "sora") return tuning.pollIntervalMs * 2.5;
  return tuning.pollIntervalMs;
}

/** When the first poll of a task the upstream just accepted is due. */
export function firstPollInterval(tuning: GenerationTuning, kind: TaskKind): number {
  return pollInterval(tuning, 0, kind);
}

export function backoff(tuning: GenerationTuning, failures: number): number {
  return Math.min(tuning.maxBackoffMs, tuning.pollIntervalMs * 2 ** Math.min(failures, 16));
}

/** The deadlines of a provider's calls for a task of `kind`. */
export function providerTimeouts(tuning: GenerationTuning, kind: TaskKind): ProviderTimeouts {
  const syncMs = isSyncKind(kind) ? tuning.syncCallTimeoutMs[kind] : Math.max(...Object.values(tuning.syncCallTimeoutMs));
  return { submitMs: tuning.submitTimeoutMs, pollMs: tuning.pollTimeoutMs, syncMs };
}
