import type { TaskKind } from "@ocean1/contract";
import type { AsyncTaskProvider } from "../provider.js";
import { grsaiPaths, pollGrsai, submitGrsai } from "./client.js";

const submitPaths: Partial<Record<TaskKind, string>> = { sora: grsaiPaths.sora, banana: grsaiPaths.banana };

/** GrsAI's relay (Sora video, Nano-Banana images): submit with `webHook:"-1"`, then poll `/v1/draw/result`. */
export const grsaiProvider: AsyncTaskProvider = {
  name: "grsai",
  kinds: ["sora", "banana"],
  mode: "async",
  notConfiguredMessage: "视频和图片生成服务暂未开通（未配置 GrsAI），本次未扣除积分",
  accountHint: "check the GrsAI account and key",
  submit(endpoint, job, timeouts) {
    const path = submitPaths[job.kind];
    if (!path) throw new Error(`GrsAI does not make ${job.kind} tasks`);
    return submitGrsai(endpoint, path, job.payload, timeouts);
  },
  poll: (endpoint, upstreamId, timeouts) => pollGrsai(endpoint, upstreamId, timeouts),
};
