import { describe, expect, it } from "vitest";
import { signedUpUser } from "./test/accounts.js";

describe("cat chat (the simulator upstream)", () => {
  it("answers the cat's reply and charges one point per call", async () => {
    const { client } = await signedUpUser();
    const answer = await client.catChat([{ role: "user", content: "你好呀" }]);
    expect(answer).toEqual({ status: "success", reply: expect.stringContaining("你好呀") });
    const history = await client.getHistory();
    expect(history.data?.[0]).toMatchObject({ type: "consume", amount: -1, balance_after: 9 });
  });

  it("returns bad input as a VALIDATION failure and charges nothing", async () => {
    const { client } = await signedUpUser();
    expect(await client.catChat([{ role: "assistant", content: "喵" }])).toMatchObject({
      status: "failed",
      code: "VALIDATION",
      msg: expect.stringContaining("最后一条消息应来自用户"),
    });
    expect((await client.getHistory()).data?.[0]).toMatchObject({ balance_after: 10 });
  });
});
