import { z } from "zod";
import { isSafeUpstreamId, succeededWith, upstreamAnswerBytes, upstreamMessages, type UpstreamOutcome } from "../outcome.js";

/** A GrsAI progress object (`data` of /v1/draw/result, or one `data:` line of a stream). */
const ZProgress = z.looseObject({
  id: z.string().min(1).optional(),
  url: z.string().optional(),
  results: z.array(z.looseObject({ url: z.string().optional() })).nullish(),
  progress: z.coerce.number().optional(),
  status: z.string().optional(),
  failure_reason: z.string().nullish(),
  error: z.string().nullish(),
});
type Progress = z.infer<typeof ZProgress>;

const ZEnvelope = z.looseObject({ code: z.number(), msg: z.string().nullish(), data: z.unknown().optional() });

function unreadable(detail: string): UpstreamOutcome {
  return { kind: "transient", detail: `unreadable answer: ${detail}`, unreadable: true };
}

/** A submit's task id, if it is one we can store and poll with. */
function acceptedAs(id: string | undefined): UpstreamOutcome {
  if (!id) return unreadable("no task id");
  return isSafeUpstreamId(id) ? { kind: "accepted", upstreamId: id } : unreadable(`task id refused (${id.length} characters)`);
}

/** A progress object → outcome; `accepted` when it only names the task (submit). */
export function outcomeOfProgress(progress: Progress, phase: "submit" | "poll"): UpstreamOutcome {
  const detail = [progress.failure_reason, progress.error].filter(Boolean).join(": ");
  switch (progress.status) {
    case "succeeded": {
      const urls = (progress.results ?? []).flatMap((result) => (result.url ? [result.url] : []));
      if (urls.length === 0 && progress.url) urls.push(progress.url);
      return succeededWith(urls);
    }
    // Public clients treat `violation` (progress 0, the reason in `error`) as final, like `failed`.
    case "violation":
      return { kind: "failed", message: upstreamMessages.contentFiltered, detail: detail || "violation" };
    case "failed":
      if (progress.failure_reason === "output_moderation") return { kind: "failed", message: upstreamMessages.outputModeration, detail };
      if (progress.failure_reason === "input_moderation") return { kind: "failed", message: upstreamMessages.inputModeration, detail };
      return { kind: "failed", message: upstreamMessages.error, detail: detail || "failed" };
    default:
      if (phase === "submit") return acceptedAs(progress.id);
      return { kind: "running", progress: Math.max(0, Math.min(99, Math.round(progress.progress ?? 0))) };
  }
}

/**
 * `{code, msg, data}`: code 0 carries `{id}` (submit) or a progress object (poll). An answer framed
 * as `data: {json}` lines (a relay that streams in `webHook:"-1"` mode too) is read as its lines.
 * A non-zero code is final at submit (the relay refused the task); while polling it says nothing
 * about the task (`{code:-1, msg:"system busy"}`) and is transient, except a task the relay does
 * not know (`-22`), which the reconciler treats as pending for a grace period after the submit.
 */
export function parseGrsaiAnswer(text: string, phase: "submit" | "poll"): UpstreamOutcome {
  if (text.trimStart().startsWith("data:")) return outcomeOfFramed(text, phase);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return unreadable(`not JSON (${text.slice(0, 80)})`);
  }
  const envelope = ZEnvelope.safeParse(json);
  if (!envelope.success) {
    // Some relays answer the bare progress object.
    const bare = ZProgress.safeParse(json);
    return bare.success && bare.data.id ? outcomeOfProgress(bare.data, phase) : unreadable("no code");
  }
  const { code, msg } = envelope.data;
  if (code !== 0) {
    // A poll of a task the relay no longer knows (expired, or a relay that lost it): not an account problem.
    if (phase === "poll" && (code === -22 || /not found|不存在/i.test(msg ?? ""))) {
      return { kind: "failed", message: upstreamMessages.lost, detail: `upstream code ${code}: ${msg ?? ""}`, upstreamLost: true };
    }
    if (phase === "poll") return { kind: "transient", detail: `poll answered code ${code}: ${msg ?? ""}` };
    return {
      kind: "failed",
      message: upstreamMessages.serviceProblem,
      detail: `upstream code ${code}: ${msg ?? ""}`,
      operatorProblem: true,
    };
  }
  const progress = ZProgress.safeParse(envelope.data.data);
  if (!progress.success) return unreadable("data is not a progress object");
  if (phase === "submit" && progress.data.id && !progress.data.status) return acceptedAs(progress.data.id);
  return outcomeOfProgress(progress.data, phase);
}

/**
 * The streaming mode: `data: {json}` lines. The first line that names the task is enough (it is
 * then followed by polling); a line that is already final is taken as it is.
 */
export async function readGrsaiStream(body: AsyncIterable<Uint8Array>): Promise<UpstreamOutcome> {
  const decoder = new TextDecoder();
  let buffer = "";
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    // Leaving the loop closes the stream: a relay that streams on without naming the task is not read forever.
    if (size > upstreamAnswerBytes) return unreadable(`no task id in the first ${upstreamAnswerBytes} bytes of the stream`);
    buffer += decoder.decode(chunk, { stream: true });
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    for (const line of lines) {
      const outcome = outcomeOfLine(line);
      // Returning ends the loop, which closes the stream.
      if (outcome) return outcome;
    }
  }
  return outcomeOfLine(buffer + decoder.decode()) ?? unreadable("stream ended without a task id");
}

/**
 * A whole answer of `data:` lines: at submit the first line that settles something (as a stream is
 * read), while polling the last line (the latest state).
 */
function outcomeOfFramed(text: string, phase: "submit" | "poll"): UpstreamOutcome {
  const lines = text.split("\n");
  if (phase === "submit") {
    for (const line of lines) {
      const outcome = outcomeOfLine(line);
      if (outcome) return outcome;
    }
    return unreadable("data: lines without a task id");
  }
  const payloads = lines.map(payloadOf).filter((payload) => payload !== "" && payload !== "[DONE]");
  const last = payloads.at(-1);
  return last === undefined ? unreadable("data: lines without a state") : parseGrsaiAnswer(last, "poll");
}

/** What a `data:` line carries ("" for any other line). */
function payloadOf(line: string): string {
  return line.startsWith("data:") ? line.slice(5).trim() : "";
}

/** The outcome a `data:` line settles, or undefined for a line to skip (a comment, progress, `[DONE]`). */
function outcomeOfLine(line: string): UpstreamOutcome | undefined {
  const payload = payloadOf(line);
  if (!payload || payload === "[DONE]") return undefined;
  const outcome = parseGrsaiAnswer(payload, "submit");
  return outcome.kind === "transient" ? undefined : outcome;
}
