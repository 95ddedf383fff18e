import { describe, expect, it } from "vitest";
import { createBackgroundWork, type BackgroundJob } from "./background.js";
import { createLogger } from "./logger.js";

const logger = createLogger("silent");

describe("background work", () => {
  it("runs one pass of a named job on demand and answers its result", async () => {
    const work = createBackgroundWork([{ name: "count", intervalMs: 60_000, run: async () => 42 }], logger);
    expect(await work.runOnce("count")).toBe(42);
    await expect(work.runOnce("missing")).rejects.toThrow("no background job named missing");
    await work.stop();
  });

  it("repeats a job after its interval without overlapping passes, and stop waits for the running pass", async () => {
    let concurrent = 0;
    let maxConcurrent = 0;
    let passes = 0;
    const job: BackgroundJob = {
      name: "slow",
      intervalMs: 5,
      async run() {
        concurrent += 1;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await new Promise((resolve) => setTimeout(resolve, 20));
        passes += 1;
        concurrent -= 1;
      },
    };
    const work = createBackgroundWork([job], logger);
    work.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    await work.stop();
    const passesAtStop = passes;
    expect(passesAtStop).toBeGreaterThanOrEqual(2);
    expect(maxConcurrent).toBe(1);
    expect(concurrent).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(passes).toBe(passesAtStop);
  });

  it("keeps scheduling after a pass fails", async () => {
    let passes = 0;
    const work = createBackgroundWork(
      [
        {
          name: "flaky",
          intervalMs: 5,
          run: async () => {
            passes += 1;
            throw new Error("boom");
          },
        },
      ],
      logger,
    );
    work.start();
    await new Promise((resolve) => setTimeout(resolve, 80));
    await work.stop();
    expect(passes).toBeGreaterThanOrEqual(2);
  });
});
