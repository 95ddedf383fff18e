import { randomUUID } from "node:crypto";
import busboy from "busboy";
import { Router, type Request, type Response } from "express";
import type { SimulatorState } from "../../simulator/state.js";
import { steeringOf } from "../../simulator/steering.js";

const baseUrlOf = (req: Request) => `${req.protocol}://${req.get("host") ?? "127.0.0.1"}`;

/** The fields (and file sizes) of a JSON or multipart request. */
function readBody(req: Request): Promise<{ fields: Record<string, unknown>; files: Record<string, number> }> {
  if (!req.is("multipart/form-data")) return Promise.resolve({ fields: (req.body ?? {}) as Record<string, unknown>, files: {} });
  return new Promise((resolve, reject) => {
    const fields: Record<string, unknown> = {};
    const files: Record<string, number> = {};
    const parser = busboy({ headers: req.headers });
    parser.on("field", (name, value) => (fields[name] = value));
    parser.on("file", (name, stream) => {
      files[name] = 0;
      stream.on("data", (chunk: Buffer) => (files[name] = (files[name] ?? 0) + chunk.length));
    });
    parser.on("error", reject);
    parser.on("close", () => resolve({ fields, files }));
    req.pipe(parser);
  });
}

/**
 * The jimeng-api protocol (`iptag/jimeng-api` v1.6.3): synchronous calls that answer `{created, data:[{url}, …]}`
 * after a while, four images for an image, or, for every error, HTTP 200 `{code:<negative>, message, data}`
 * (its `FailureBody`: never a 401 or a 429). The codes are its `src/api/consts/exceptions.ts`. The same steering
 * words as the GrsAI routes, and `[violation]` / `[expired]`.
 */
export function jimengSimulatorRoutes(state: SimulatorState): Router {
  const routes = Router();
  const failure = (res: Response, code: number, message: string) => void res.json({ code, message, data: null });
  const generate = (kind: "image" | "video") => async (req: Request, res: Response) => {
    state.counts.submit++;
    // jimeng-api validates `headers.authorization` like any parameter.
    if (!/^Bearer \S+/.test(req.get("authorization") ?? "")) return failure(res, -2000, "Params headers.authorization invalid");
    const { fields } = await readBody(req);
    const steering = steeringOf(fields.prompt);
    if (steering.hang || steering.never) return; // never answers: the caller's timeout decides
    if (steering.garbage) return void res.status(200).type("text/html").send("<html>502 Bad Gateway</html>");
    if (steering.reject) return failure(res, -2009, "[积分不足]: 即梦积分不足");
    if (steering.expired) return failure(res, -2002, "[登录失效]: login error。请重新获取refresh_token并更新配置");
    // Its error handler's answer to ByteDance's rate limit: a failed request, like any other.
    if (steering.busy) return failure(res, -2001, "[请求频率限制]: 请求过于频繁，请稍后重试");
    if (steering.violation) return failure(res, -2001, "图片内容检测未通过，该图片可能包含违规内容");
    if (typeof fields.prompt !== "string" || fields.prompt === "") return failure(res, -2000, "Params body.prompt invalid");
    await new Promise((resolve) => setTimeout(resolve, state.options.taskMs * (steering.slow ? 10 : 1)));
    if (steering.moderation || steering.inputModeration) return failure(res, -2006, "[内容违规]: 内容由于合规问题已被阻止生成");
    if (steering.fail)
      return kind === "video" ? failure(res, -2008, "[视频生成失败]: 视频生成失败") : failure(res, -2007, "[生成失败]: 图像生成失败");
    const count = kind === "video" ? 1 : 4;
    const ext = kind === "video" ? "mp4" : "png";
    const data = Array.from({ length: count }, () => ({ url: `${baseUrlOf(req)}/files/jimeng-${randomUUID()}.${ext}` }));
    res.json({ created: Math.floor(Date.now() / 1000), data });
  };
  routes.post("/v1/images/generations", generate("image"));
  routes.post("/v1/images/compositions", generate("image"));
  routes.post("/v1/videos/generations", generate("video"));
  return routes;
}
