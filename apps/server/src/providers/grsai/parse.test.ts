import { describe, expect, it } from "vitest";
import { readGrsaiStream } from "./parse.js";
import { upstreamAnswerBytes } from "../outcome.js";

/** A stream of these chunks; `read` counts how many of them were taken. */
function streamOf(chunks: string[]) {
  const state = { read: 0 };
  async function* body(): AsyncGenerator<Uint8Array> {
    for (const chunk of chunks) {
      state.read++;
      yield Buffer.from(chunk);
    }
  }
  return { body: body(), state };
}

describe("readGrsaiStream (a relay that streams its submit answer)", () => {
  it("takes the task id from the first data line that names it, even split across chunks, and reads no further", async () => {
    const { body, state } = streamOf([
      ': ping\n\ndata: {"code":0,"data":{"id":"t',
      '-1"}}\n\n',
      'data: {"code":0,"data":{"id":"t-1","progress":5}}\n\n',
    ]);
    expect(await readGrsaiStream(body)).toEqual({ kind: "accepted", upstreamId: "t-1" });
    expect(state.read).toBe(2);
  });

  it("reads a last line that has no newline", async () => {
    const { body } = streamOf(['data: {"code":0,"data":{"id":"t-2"}}']);
    expect(await readGrsaiStream(body)).toEqual({ kind: "accepted", upstreamId: "t-2" });
  });

  it("answers unreadable for a stream that ends without naming the task", async () => {
    const { body } = streamOf(["data: [DONE]\n\n"]);
    expect(await readGrsaiStream(body)).toMatchObject({
      kind: "transient",
      unreadable: true,
      detail: expect.stringContaining("without a task id"),
    });
  });

  it("stops reading, unreadable, once a stream has sent more than an answer's limit without naming the task", async () => {
    const chunk = "x".repeat(64 * 1024); // no newline: one endless line
    const { body, state } = streamOf(Array.from({ length: 2 * (upstreamAnswerBytes / chunk.length) }, () => chunk));
    expect(await readGrsaiStream(body)).toMatchObject({
      kind: "transient",
      unreadable: true,
      detail: expect.stringContaining("no task id in the first"),
    });
    expect(state.read).toBe(Math.floor(upstreamAnswerBytes / chunk.length) + 1);
  });
});
