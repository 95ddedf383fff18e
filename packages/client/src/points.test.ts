import { createCardKeys } from "@ocean1/test-server";
import { describe, expect, it } from "vitest";
import { newDevice, server, signedUpUser } from "./test/accounts.js";

describe("points: history and card keys", () => {
  it("reads the history newest first, with the sign-up bonus as its first row", async () => {
    const { client } = await signedUpUser();
    const history = await client.getHistory();
    expect(history).toEqual({
      status: "success",
      data: [
        {
          id: expect.any(Number),
          type: "register",
          amount: 10,
          balance_after: 10,
          description: expect.any(String),
          created_at: expect.any(String),
        },
      ],
    });
  });

  it("redeems a card key (lower case and without dashes too) and the balance follows; a used key is a failed answer", async () => {
    const { client, email } = await signedUpUser();
    const [cardKey] = await createCardKeys(server(), 100);
    if (!cardKey) throw new Error("no card key");

    expect(await client.redeemCard(email, cardKey.toLowerCase().replaceAll("-", ""))).toEqual({
      status: "success",
      msg: "充值成功",
      new_points: 110,
    });
    expect(await client.redeemCard(email, cardKey)).toMatchObject({ status: "failed", code: "CARD_USED" });
    const history = await client.getHistory({ limit: 1 });
    expect(history.data).toEqual([expect.objectContaining({ type: "recharge", amount: 100, balance_after: 110 })]);
  });

  it("answers UNAUTHENTICATED as a value when no one is logged in on this device", async () => {
    const client = newDevice();
    expect(await client.getHistory()).toMatchObject({ status: "failed", code: "UNAUTHENTICATED" });
    expect(await client.redeemCard("nobody@example.com", "AAAA-BBBB-CCCC")).toMatchObject({ status: "failed", code: "UNAUTHENTICATED" });
    expect(await client.heartbeat("nobody@example.com")).toEqual({ status: "rejected" });
  });
});
