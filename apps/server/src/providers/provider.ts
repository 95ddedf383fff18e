import type { ChatMessage, TaskKind } from "@ocean1/contract";
import type { ChatEndpoint, ProviderEndpoint } from "./endpoints.js";
import type { UpstreamOutcome } from "./outcome.js";

/** A reference image the user uploaded, sent with the job. */
export interface UploadedImage {
  bytes: Buffer;
  contentType: string;
}

/** One piece of work as the task machinery hands it to a provider. */
export interface TaskJob {
  kind: TaskKind;
  /**
   * The upstream parameters, already mapped by the catalogue: `model` (the upstream's name),
   * `prompt`, the kind's options (`duration`, `aspectRatio`, `ratio`...) and references (`url`,
   * `urls`, `negative_prompt`). A provider writes them in its own wire format.
   */
  payload: Record<string, unknown>;
  image?: UploadedImage | undefined;
}

export interface ProviderTimeouts {
  submitMs: number;
  pollMs: number;
  /** One synchronous call, from request to result. */
  syncMs: number;
}

interface ProviderBase {
  /** Names the provider in a task row (`tasks.provider`), the limiter, metrics and logs. */
  name: string;
  /** The task kinds it makes. */
  kinds: readonly TaskKind[];
  /** Told to a user whose kind no configured provider serves (nothing is charged). */
  notConfiguredMessage: string;
  /** Logged for the operator when the provider refuses our account. */
  accountHint: string;
}

/** A provider that accepts a task, answers its id, and is polled for its result (GrsAI). */
export interface AsyncTaskProvider extends ProviderBase {
  mode: "async";
  /**
   * `accepted` with the upstream's id. `transient` (retried) only when the submit provably created
   * nothing (a 429, a 503, no connection); any failure after which the upstream may have the task is
   * `failed` with `maybeCreated`: a resubmit would be a second billed generation.
   */
  submit(endpoint: ProviderEndpoint, job: TaskJob, timeouts: ProviderTimeouts): Promise<UpstreamOutcome>;
  /** One poll: `running`, a final outcome, or `transient` (polled again later). */
  poll(endpoint: ProviderEndpoint, upstreamId: string, timeouts: ProviderTimeouts): Promise<UpstreamOutcome>;
}

/**
 * A provider that answers one long request with the result and gives no task id (Jimeng): it is
 * never retried (a second call would be a second generation) and every outcome is final.
 */
export interface SyncTaskProvider extends ProviderBase {
  mode: "sync";
  run(endpoint: ProviderEndpoint, job: TaskJob, timeouts: ProviderTimeouts): Promise<UpstreamOutcome>;
}

export type TaskProvider = AsyncTaskProvider | SyncTaskProvider;

/** A chat model behind an OpenAI-compatible API: one reply for the conversation, or a `ChatUpstreamError`. */
export interface ChatProvider {
  name: string;
  complete(endpoint: ChatEndpoint, messages: ChatMessage[], timeoutMs: number): Promise<string>;
}
