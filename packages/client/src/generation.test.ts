import { createCardKeys } from "@ocean1/test-server";
import { describe, expect, it } from "vitest";
import { isFailed, type Ocean1Client, type TaskProgress } from "./index.js";
import { server, signedUpUser } from "./test/accounts.js";

/** A user with 110 points: the sign-up bonus and a card key. */
async function userWithPoints(): Promise<{ client: Ocean1Client; email: string }> {
  const user = await signedUpUser();
  const [cardKey] = await createCardKeys(server(), 100);
  await user.client.redeemCard(user.email, cardKey ?? "");
  return user;
}

describe.concurrent("generation through the client (the simulator upstream)", () => {
  it("makes a Banana image with live progress over the event stream, and queryResult reads it back", async () => {
    const { client } = await userWithPoints();
    const progress: TaskProgress[] = [];
    const answer = await client.bananaCreate("一只橘猫", "nano-banana", "1024x1024", "1:1", undefined, {
      onProgress: (event) => progress.push(event),
    });

    expect(answer).toMatchObject({
      status: "success",
      data: { status: "completed", progress: 100, result_url: expect.stringMatching(/^https?:\/\//) },
    });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((event) => event.id === answer.data?.id)).toBe(true);
    expect(await client.queryResult(answer.data?.id ?? "")).toMatchObject({
      status: "success",
      data: { status: "completed", result_url: answer.data?.result_url },
    });
    expect(await client.listTasks()).toEqual({
      status: "success",
      data: [
        expect.objectContaining({
          id: answer.data?.id,
          kind: "banana",
          model: "nano-banana",
          status: "completed",
          cost: 4,
          result_url: answer.data?.result_url,
        }),
      ],
    });
  });

  it("makes a Sora video held as one JSON document, as api.ts reads it, and charges its price", async () => {
    const { client } = await userWithPoints();
    const answer = await client.soraCreate("海边散步的猫", "sora-2", "16:9", 10);
    expect(answer).toMatchObject({ status: "success", data: { status: "completed", result_url: expect.any(String) } });
    expect((await client.getHistory()).data?.[0]).toMatchObject({ type: "consume", amount: -20, balance_after: 90 });
  });

  it("returns a failed task as a failed value carrying the task, refunded once", async () => {
    const { client } = await userWithPoints();
    const answer = await client.bananaCreate("[fail] 一只橘猫", "nano-banana", "1024x1024", "1:1");
    expect(isFailed(answer)).toBe(true);
    expect(answer).toMatchObject({ status: "failed", msg: expect.any(String), data: { status: "failed" } });
    expect((await client.getHistory()).data?.slice(0, 2)).toEqual([
      expect.objectContaining({ type: "refund", amount: 4, balance_after: 110 }),
      expect.objectContaining({ type: "consume", amount: -4, balance_after: 106 }),
    ]);
  });

  it("returns insufficient points as a failed value and creates nothing", async () => {
    const { client } = await signedUpUser();
    expect(await client.soraCreate("海边散步的猫", "sora-2", "16:9", 10)).toMatchObject({ status: "failed", code: "INSUFFICIENT_POINTS" });
    expect(await client.listTasks()).toEqual({ status: "success", data: [] });
  });

  it("answers an unknown task id as a failed value", async () => {
    const { client } = await signedUpUser();
    expect(await client.queryResult("no-such-task")).toMatchObject({ status: "failed", code: "TASK_NOT_FOUND" });
  });
});
