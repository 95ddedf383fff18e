import type { GenerationTuning } from "../tasks/tuning.js";
import type { FakeUpstream } from "./fake-upstream.js";

/** Timings short enough for tests: keep-alives, polls and backoffs in tens of milliseconds. */
export const fastTuning: Partial<GenerationTuning> = {
  keepAliveMs: 300,
  watchIntervalMs: 50,
  reconcileIntervalMs: 100,
  pollIntervalMs: 50,
  refreshMinMs: 100,
  maxBackoffMs: 200,
  submitRetryDelaysMs: [50, 100],
  submitTimeoutMs: 1_000,
  pollTimeoutMs: 500,
  leaseMs: 5_000,
  // Polls that fail for a second fail the task; a task the relay does not know is lost at once (relay.test.ts tests the grace).
  pollFailureWindowMs: 1_000,
  lostGraceMs: 0,
};

export const grsaiKey = "sk-grsai-test-key-0123456789";

/** Environment pointing GrsAI at a fake (with a trailing `/v1/`, which must be tolerated). */
export function grsaiEnv(fake: Pick<FakeUpstream, "url">, extra: Record<string, string> = {}): Record<string, string> {
  return { GRSAI_BASE_URL: `${fake.url}/v1/`, GRSAI_API_KEY: grsaiKey, ...extra };
}

/** Every provider configured at one fake upstream: no operation stops at PROVIDER_NOT_CONFIGURED. */
export function allProvidersAt(fake: Pick<FakeUpstream, "url">): Record<string, string> {
  const key = "k-0123456789";
  return {
    GRSAI_BASE_URL: fake.url,
    GRSAI_API_KEY: key,
    JIMENG_BASE_URL: fake.url,
    JIMENG_API_KEY: key,
    CHAT_BASE_URL: fake.url,
    CHAT_API_KEY: key,
  };
}

export const soraRequest = { model: "sora-2", prompt: "A cat walking on the beach", aspectRatio: "16:9", duration: 5, size: "small" };
export const bananaRequest = { model: "banana-v1", prompt: "A sunset over mountains", imageSize: "1024x1024", aspectRatio: "1:1" };
/** The options a task made from `soraRequest` answers with (what the task is made as, in the request's terms). */
export const soraOptions = { duration: "5", size: "small", aspectRatio: "16:9" };

/** GrsAI answers. */
export const accepted = (id: string) => ({ json: { code: 0, msg: "success", data: { id } } });
export const running = (id: string, progress: number) => ({
  json: { code: 0, msg: "success", data: { id, results: [], progress, status: "running", failure_reason: "", error: "" } },
});
export const succeeded = (id: string, url: string) => ({
  json: {
    code: 0,
    msg: "success",
    data: { id, results: [{ url, content: "" }], progress: 100, status: "succeeded", failure_reason: "", error: "" },
  },
});
export const failedWith = (id: string, reason: string, error = "") => ({
  json: { code: 0, msg: "success", data: { id, results: [], progress: 100, status: "failed", failure_reason: reason, error } },
});
