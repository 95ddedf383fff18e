import { createHash, randomUUID } from "node:crypto";
import express, { type Request, type Response, type Router } from "express";

export interface ChatSimulatorOptions {
  /** How long `[slow]` holds its answer: longer than the adapter's 25 s timeout by default. */
  slowMs?: number;
}

const chineseReplies = [
  (topic: string) => `喵~ 你说「${topic}」，猫猫认真听着呢！`,
  (topic: string) => `关于「${topic}」呀，猫猫觉得你已经做得很好啦，慢慢来就好～`,
  (topic: string) => `猫猫蹭蹭你：「${topic}」这件事，我们一起想办法吧。喵！`,
  (topic: string) => `嗯嗯，「${topic}」！猫猫陪着你，有什么都可以跟我说～`,
];
const englishReplies = [
  (topic: string) => `Meow~ You said "${topic}", and I'm all ears!`,
  (topic: string) => `About "${topic}": I think you're doing great. Take it one paw at a time~`,
  (topic: string) => `*purrs* "${topic}" sounds important. Let's figure it out together. Meow!`,
  (topic: string) => `Got it, "${topic}"! I'm right here with you.`,
];

/** The same question always gets the same answer: a template chosen by a hash of the user's words. */
export function simulatedCatReply(lastUserMessage: string): string {
  const digest = createHash("sha256").update(lastUserMessage).digest();
  const chinese = /[\u3400-\u9fff]/.test(lastUserMessage);
  const templates = chinese ? chineseReplies : englishReplies;
  const topic =
    lastUserMessage
      .replace(/\[[a-z0-9-]+\]/gi, "")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, 20) || (chinese ? "这个" : "that");
  return templates[(digest[0] ?? 0) % templates.length]!(topic);
}

function openAiError(res: Response, status: number, message: string, type: string, code: string | null): void {
  res.status(status).json({ error: { message, type, param: null, code } });
}

function lastUserContent(body: unknown): string | undefined {
  const messages = (body as { messages?: unknown } | undefined)?.messages;
  if (!Array.isArray(messages) || messages.length === 0) return undefined;
  const users = messages.filter(
    (m): m is { role: "user"; content: string } =>
      (m as { role?: unknown }).role === "user" && typeof (m as { content?: unknown }).content === "string",
  );
  return users.at(-1)?.content ?? "";
}

function completion(model: string, content: string | null, finishReason = "stop", refusal: string | null = null) {
  const length = content?.length ?? 0;
  return {
    id: `chatcmpl-sim-${randomUUID()}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: "assistant", content, refusal }, finish_reason: finishReason }],
    usage: { prompt_tokens: 0, completion_tokens: length, total_tokens: length },
  };
}

/** Azure OpenAI's answer to a prompt its content filter stops: HTTP 400 `content_filter`. */
function filteredPrompt(res: Response): void {
  res.status(400).json({
    error: {
      message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
      type: null,
      param: "prompt",
      code: "content_filter",
      status: 400,
      innererror: {
        code: "ResponsibleAIPolicyViolation",
        content_filter_result: {
          hate: { filtered: false, severity: "safe" },
          self_harm: { filtered: false, severity: "safe" },
          sexual: { filtered: false, severity: "safe" },
          violence: { filtered: true, severity: "medium" },
        },
      },
    },
  });
}

/**
 * The reply as a server-sent event stream of `chat.completion.chunk` objects ending in
 * `data: [DONE]`, as some compatible servers answer even a `stream: false` request; with
 * `filtered`, the stream stops half-way with `finish_reason: "content_filter"`.
 */
function streamed(res: Response, model: string, content: string, filtered = false): void {
  const id = `chatcmpl-sim-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: object, finishReason: string | null) =>
    `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;
  const pieces = content.match(/[\s\S]{1,6}/g) ?? [];
  const sent = filtered ? pieces.slice(0, Math.ceil(pieces.length / 2)) : pieces;
  res.status(200).type("text/event-stream").set("Cache-Control", "no-cache");
  res.write(chunk({ role: "assistant", content: "" }, null));
  for (const piece of sent) res.write(chunk({ content: piece }, null));
  res.write(chunk({}, filtered ? "content_filter" : "stop"));
  res.end("data: [DONE]\n\n");
}

/** Holds the answer for `ms`, unless the caller hangs up first (then nothing is sent). */
function afterDelay(req: Request, ms: number, answer: () => void): void {
  const timer = setTimeout(answer, ms);
  req.socket.once("close", () => clearTimeout(timer));
}

/**
 * The OpenAI-compatible chat protocol (`POST /v1/chat/completions`, non-streaming) with fake
 * answers in character. Steering words in the last user message: `[fail]` 500, `[rate]`/`[429]`
 * 429, `[quota]` 429 insufficient_quota, `[auth]` 401, `[slow]` answers late, `[garbage]` not
 * JSON, `[empty]` an empty reply, `[reset]` drops the connection; moderation: `[content-filter]`
 * `finish_reason: "content_filter"` with `content: null`, `[refusal]` a `message.refusal`,
 * `[filter-400]` Azure's HTTP 400 `content_filter`; `[stream]` the reply as an event stream
 * although `stream: false` was asked, `[stream-filter]` one cut by `finish_reason: "content_filter"`.
 */
export function chatSimulatorRoutes(options: ChatSimulatorOptions = {}): Router {
  const slowMs = options.slowMs ?? 30_000;
  const router = express.Router();
  router.post("/v1/chat/completions", express.json({ limit: "2mb" }), (req, res) => {
    if (!/^Bearer \S+/.test(req.get("authorization") ?? ""))
      return openAiError(res, 401, "Missing bearer token", "invalid_request_error", "invalid_api_key");
    const body = req.body as { model?: unknown; stream?: unknown } | undefined;
    const last = lastUserContent(body);
    if (typeof body?.model !== "string" || last === undefined)
      return openAiError(res, 400, "model and messages are required", "invalid_request_error", null);
    if (body.stream === true) return openAiError(res, 400, "the simulator does not stream", "invalid_request_error", null);
    const model = body.model;
    const steer = (word: string) => last.toLowerCase().includes(`[${word}]`);
    if (steer("auth")) return openAiError(res, 401, "Incorrect API key provided", "invalid_request_error", "invalid_api_key");
    if (steer("quota")) return openAiError(res, 429, "You exceeded your current quota", "insufficient_quota", "insufficient_quota");
    if (steer("rate") || steer("429")) return openAiError(res, 429, "Rate limit reached", "requests", "rate_limit_exceeded");
    if (steer("fail")) return openAiError(res, 500, "The server had an error while processing your request", "server_error", null);
    if (steer("reset")) return void req.socket.destroy();
    if (steer("garbage")) return void res.status(200).type("text/html").send("<html><body>502 Bad Gateway</body></html>");
    if (steer("empty")) return void res.json(completion(model, ""));
    if (steer("content-filter")) return void res.json(completion(model, null, "content_filter"));
    if (steer("refusal")) return void res.json(completion(model, null, "stop", "I'm sorry, I can't help with that."));
    if (steer("filter-400")) return filteredPrompt(res);
    if (steer("stream-filter")) return streamed(res, model, simulatedCatReply(last), true);
    if (steer("stream")) return streamed(res, model, simulatedCatReply(last));
    const answer = () => void res.json(completion(model, simulatedCatReply(last)));
    if (steer("slow")) return afterDelay(req, slowMs, answer);
    answer();
  });
  return router;
}
