import type { SyncTaskProvider } from "../provider.js";
import { callJimeng } from "./client.js";

/** A jimeng-api server (`iptag/jimeng-api`): one OpenAI-style request answers with the result, minutes later. */
export const jimengProvider: SyncTaskProvider = {
  name: "jimeng",
  kinds: ["jimeng_image", "jimeng_video"],
  mode: "sync",
  notConfiguredMessage: "即梦生成服务暂未开通（未配置 Jimeng），本次未扣除积分",
  accountHint: "check the Jimeng account and session key",
  run: (endpoint, job, timeouts) => callJimeng(endpoint, job, timeouts.syncMs),
};
