import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

  it("holds [slow] for its delay and drops the connection on [reset]", async () => {
    const started = Date.now();
    expect((await complete("[slow] hi")).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await expect(complete("[reset]")).rejects.toThrow();
  });
});
