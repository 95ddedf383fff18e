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
 * The jimeng-api protocol: synchronous calls that answer `{created, data:[{url}]}` after a while, or
 * HTTP 200 `{code:<negative>, message}`. The same steering words as the GrsAI routes.
 */
export function jimengSimulatorRoutes(state: SimulatorState): Router {
  const routes = Router();
  const generate = (kind: "image" | "video") => async (req: Request, res: Response) => {
    state.counts.submit++;
    if (!/^Bearer \S+/.test(req.get("authorization") ?? "")) return void res.status(401).json({ code: -2000, message: "missing session" });
    const { fields } = await readBody(req);
    const steering = steeringOf(fields.prompt);
    if (steering.hang || steering.never) return; // never answers: the caller's timeout decides
    if (steering.busy) return void res.status(429).json({ code: -2001, message: "too many requests" });
    if (steering.garbage) return void res.status(200).type("text/html").send("<html>502 Bad Gateway</html>");
    if (steering.reject) return void res.json({ code: -2009, message: "积分不足" });
    if (typeof fields.prompt !== "string" || fields.prompt === "") return void res.json({ code: -2000, message: "prompt is required" });
    await new Promise((resolve) => setTimeout(resolve, state.options.taskMs * (steering.slow ? 10 : 1)));
    if (steering.moderation || steering.inputModeration) return void res.json({ code: -2006, message: "内容被过滤" });
    if (steering.fail) return void res.json({ code: -2003, message: "generation failed" });
    const url = `${baseUrlOf(req)}/files/jimeng-${randomUUID()}.${kind === "video" ? "mp4" : "png"}`;
    res.json({ created: Math.floor(Date.now() / 1000), data: [{ url, revised_prompt: fields.prompt }] });
  };
  routes.post("/v1/images/generations", generate("image"));
  routes.post("/v1/images/compositions", generate("image"));
  routes.post("/v1/videos/generations", generate("video"));
  return routes;
}
