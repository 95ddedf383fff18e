import { createCardKeys } from "@ocean1/test-server";
import { describe, expect, it } from "vitest";
import type { TaskProgress } from "./index.js";
import { server, signedUpUser } from "./test/accounts.js";
import { onePixelPng } from "./test/images.js";

describe("Jimeng through the client (the simulator upstream)", () => {
  it("answers Jimeng (JSON over tRPC, an image upload as multipart) at once with a pending task; watchTask follows it to its result", async () => {
    const { client, email } = await signedUpUser();
    const [cardKey] = await createCardKeys(server(), 100);
    await client.redeemCard(email, cardKey ?? "");
    const image = await client.jimengImageCreate({ prompt: "水彩风格的猫", ratio: "1:1" }, new Blob([onePixelPng], { type: "image/png" }));
    expect(image).toMatchObject({ status: "success", data: { id: expect.any(String), status: "pending" } });
    const plain = await client.jimengImageCreate({ prompt: "没有参考图的猫", ratio: "1:1" });
    expect(plain).toMatchObject({ status: "success", data: { status: "pending" } });
    const video = await client.jimengVideoCreate({ prompt: "奔跑的猫", ratio: "16:9" });
    expect(video).toMatchObject({ status: "success", data: { status: "pending" } });

    const seen: TaskProgress[] = [];
    const final = await client.watchTask(video.data?.id ?? "", (event) => seen.push(event), { intervalMs: 200 });
    expect(final).toMatchObject({ status: "success", data: { status: "completed", result_url: expect.any(String) } });
    expect(seen.at(-1)).toMatchObject({ id: video.data?.id, status: "completed" });
    const imageFinal = await client.watchTask(image.data?.id ?? "", undefined, { intervalMs: 200 });
    expect(imageFinal).toMatchObject({ data: { status: "completed" } });
    // A jimeng-4.x image task makes four images: every one is kept, the first is result_url.
    const urls = imageFinal.status === "success" ? (imageFinal.data.result_urls ?? []) : [];
    expect(urls).toHaveLength(4);
    expect(urls[0]).toBe(imageFinal.status === "success" ? imageFinal.data.result_url : undefined);

    const tasks = await client.listTasks();
    expect(tasks.data?.map((task) => [task.id, task.kind])).toEqual([
      [video.data?.id, "jimeng_video"],
      [plain.data?.id, "jimeng_image"],
      [image.data?.id, "jimeng_image"],
    ]);
    expect(tasks.data?.find((task) => task.id === image.data?.id)).toMatchObject({ status: "completed", result_urls: urls });
  });
});
