import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simulatedCatReply } from "../providers/openai-chat/simulator.js";
import { startChatUpstream, type ChatUpstream } from "../test/chat-upstream.js";

let upstream: ChatUpstream;
beforeAll(async () => {
  upstream = await startChatUpstream({ slowMs: 300 });
});
afterAll(() => upstream.close());

function complete(content: string, headers: Record<string, string> = { Authorization: "Bearer sim-key" }) {
  return fetch(`${upstream.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify({
      model: "cat-model",
      stream: false,
      messages: [
        { role: "system", content: "persona" },
        { role: "user", content },
      ],
    }),
  });
}

describe("the chat simulator", () => {
  it("answers an OpenAI chat.completion in character, the same for the same words", async () => {
    const [first, second] = await Promise.all([complete("今天好累"), complete("今天好累")]);
    const body = (await first.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body).toMatchObject({
      id: expect.stringMatching(/^chatcmpl-/),
      object: "chat.completion",
      created: expect.any(Number),
      model: "cat-model",
      choices: [{ index: 0, message: { role: "assistant", content: expect.stringContaining("今天好累") }, finish_reason: "stop" }],
      usage: expect.any(Object),
    });
    expect(body.choices[0]?.message.content).toMatch(/猫猫|喵/);
    expect(((await second.json()) as typeof body).choices[0]?.message.content).toBe(body.choices[0]?.message.content);
  });

  it("answers English in English", async () => {
    const body = (await (await complete("I am tired")).json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]?.message.content).toMatch(/^[\x20-\x7e~*]+$/);
  });

  it("refuses a request without a Bearer token with 401", async () => {
    expect((await complete("hi", {})).status).toBe(401);
  });

  it.each([
    ["[fail]", 500],
    ["[rate]", 429],
    ["[429]", 429],
    ["[quota]", 429],
    ["[auth]", 401],
  ])("answers the steering word %s with HTTP %i", async (word, status) => {
    expect((await complete(`hi ${word}`)).status).toBe(status);
  });

  it("answers [garbage] with a body that is not JSON and [empty] with an empty reply", async () => {
    const garbage = await (await complete("[garbage]")).text();
    expect(() => JSON.parse(garbage) as unknown).toThrow();
    const empty = (await (await complete("[empty]")).json()) as { choices: Array<{ message: { content: string } }> };
    expect(empty.choices[0]?.message.content).toBe("");
  });

  it("answers [content-filter] with finish_reason content_filter and content null, [refusal] with a message.refusal", async () => {
    type Completion = { choices: Array<{ message: { content: string | null; refusal: string | null }; finish_reason: string }> };
    const filtered = (await (await complete("讲个故事 [content-filter]")).json()) as Completion;
    expect(filtered.choices[0]).toMatchObject({ message: { content: null }, finish_reason: "content_filter" });
    const refused = (await (await complete("[refusal]")).json()) as Completion;
    expect(refused.choices[0]).toMatchObject({ message: { content: null, refusal: expect.stringMatching(/\S/) }, finish_reason: "stop" });
  });

  it("answers [filter-400] as Azure OpenAI's prompt filter: HTTP 400 error.code content_filter", async () => {
    const res = await complete("[filter-400]");
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: {
        code: "content_filter",
        param: "prompt",
        innererror: { code: "ResponsibleAIPolicyViolation", content_filter_result: expect.any(Object) },
      },
    });
  });

  it("answers [stream] to stream:false with an event stream of chat.completion.chunk ending in data: [DONE]", async () => {
    const res = await complete("今天好累 [stream]");
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = (await res.text()).split("\n\n").filter(Boolean);
    expect(events.at(-1)).toBe("data: [DONE]");
    const chunks = events.slice(0, -1).map((event) => {
      expect(event).toMatch(/^data: /);
      return JSON.parse(event.slice(6)) as {
        object: string;
        choices: Array<{ delta: { content?: string }; finish_reason: string | null }>;
      };
    });
    expect(chunks.every((chunk) => chunk.object === "chat.completion.chunk")).toBe(true);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
    const reply = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("");
    expect(reply).toBe(simulatedCatReply("今天好累 [stream]"));
    expect(reply).toContain("今天好累");
    expect(reply).not.toContain("[stream]");
  });

  it("cuts a [stream-filter] stream half-way with finish_reason content_filter", async () => {
    const events = (await (await complete("今天好累 [stream-filter]")).text()).split("\n\n").filter(Boolean);
    expect(events.at(-1)).toBe("data: [DONE]");
    const last = JSON.parse(events.at(-2)!.slice(6)) as { choices: Array<{ finish_reason: string }> };
    expect(last.choices[0]?.finish_reason).toBe("content_filter");
  });

  it("holds [slow] for its delay and drops the connection on [reset]", async () => {
    const started = Date.now();
    expect((await complete("[slow] hi")).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await expect(complete("[reset]")).rejects.toThrow();
  });
});
