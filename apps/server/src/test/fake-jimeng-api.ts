import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A small jimeng-api (`iptag/jimeng-api` v1.6.3), written from its source, not from our adapter:
 *
 * - every error is HTTP 200 `{code, message, data}` (`src/lib/response/FailureBody.ts`, injected by the
 *   error middleware of `src/lib/server.ts`); never a 401 or a 429;
 * - `Request.validate` failures are `-2000 Params <key> invalid` (`src/lib/request/Request.ts`), the
 *   authorization header included; a plain `throw new Error` is `-1000` (`src/lib/consts/exceptions.ts`);
 * - images: `size`/`width`/`height` refused (`src/api/routes/images.ts`); resolution and ratio checked
 *   against RESOLUTION_OPTIONS (`src/api/controllers/images.ts` getResolutionParams,
 *   `src/api/consts/common.ts`); defaults ratio 1:1, resolution 2k; a jimeng-4.x answer carries four images
 *   (`data: imageUrls.map((url) => ({url}))`);
 * - videos: duration 5 or 10, else `-2000 Params body.duration invalid` (`src/api/routes/videos.ts`);
 * - the outcome of the ByteDance side is scripted per test (`next`): images, or one of the codes of
 *   `src/api/consts/exceptions.ts` with the message its error handler builds.
 */
export interface JimengApiCall {
  path: string;
  contentType: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

export type ByteDanceOutcome = { images: number } | { code: number; message: string } | { hangMs: number; then: ByteDanceOutcome };

export interface FakeJimengApi {
  url: string;
  calls: JimengApiCall[];
  /** What the next generations answer (default: four images, one video). */
  next: ByteDanceOutcome | undefined;
  close(): Promise<void>;
}

const resolutions: Record<string, readonly string[]> = {
  "1k": ["1:1", "4:3", "3:4", "16:9", "9:16", "3:2", "2:3", "21:9"],
  "2k": ["1:1", "4:3", "3:4", "16:9", "9:16", "3:2", "2:3", "21:9"],
  "4k": ["1:1", "4:3", "3:4", "16:9", "9:16", "3:2", "2:3", "21:9"],
};

class JimengError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

async function readBody(req: IncomingMessage): Promise<{ contentType: string; body: Record<string, unknown> }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const contentType = req.headers["content-type"] ?? "";
  if (contentType.startsWith("multipart/form-data")) {
    const form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
    const body: Record<string, unknown> = {};
    for (const [key, value] of form.entries()) body[key] = typeof value === "string" ? value : { file: value.name, size: value.size };
    return { contentType, body };
  }
  return { contentType, body: raw.length > 0 ? (JSON.parse(raw.toString("utf8")) as Record<string, unknown>) : {} };
}

function validate(path: string, multipart: boolean, call: JimengApiCall): void {
  const { body } = call;
  if (typeof call.authorization !== "string") throw new JimengError(-2000, "Params headers.authorization invalid");
  if (typeof body.prompt !== "string") throw new JimengError(-2000, "Params body.prompt invalid");
  if (path.startsWith("/v1/images")) {
    const unsupported = ["size", "width", "height"].filter((key) => key in body);
    if (unsupported.length > 0)
      throw new JimengError(-1000, `不支持的参数: ${unsupported.join(", ")}。请使用 ratio 和 resolution 参数控制图像尺寸。`);
    const resolution = (body.resolution as string | undefined) ?? "2k";
    const ratio = (body.ratio as string | undefined) ?? "1:1";
    const group = resolutions[resolution];
    if (!group) throw new JimengError(-1000, `不支持的分辨率 "${resolution}"。支持的分辨率: ${Object.keys(resolutions).join(", ")}`);
    if (!group.includes(ratio))
      throw new JimengError(-1000, `在 "${resolution}" 分辨率下，不支持的比例 "${ratio}"。支持的比例: ${group.join(", ")}`);
  } else {
    const duration = body.duration;
    if (duration !== undefined) {
      const seconds = multipart && typeof duration === "string" ? parseInt(duration) : duration;
      if (seconds !== 5 && seconds !== 10) throw new JimengError(-2000, "Params body.duration invalid");
    }
  }
}

export async function startFakeJimengApi(): Promise<FakeJimengApi> {
  const fake: FakeJimengApi = { url: "", calls: [], next: undefined, close: async () => {} };
  const answer = async (outcome: ByteDanceOutcome, video: boolean): Promise<unknown> => {
    if ("hangMs" in outcome) {
      await new Promise((resolve) => setTimeout(resolve, outcome.hangMs));
      return answer(outcome.then, video);
    }
    if ("code" in outcome) throw new JimengError(outcome.code, outcome.message);
    const count = video ? 1 : outcome.images;
    const data = Array.from({ length: count }, (_, i) => ({
      url: `https://p3-dreamina.example/${video ? "video" : "image"}-${i}.${video ? "mp4" : "webp"}`,
    }));
    return { created: Math.floor(Date.now() / 1000), data };
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      let status = 200;
      let body: unknown;
      try {
        if (req.method !== "POST" || !["/v1/images/generations", "/v1/images/compositions", "/v1/videos/generations"].includes(path))
          throw new Error(`Route ${req.method} ${path} not found`);
        const { contentType, body: fields } = await readBody(req);
        const call: JimengApiCall = { path, contentType, authorization: req.headers.authorization, body: fields };
        fake.calls.push(call);
        validate(path, contentType.startsWith("multipart/form-data"), call);
        const video = path.startsWith("/v1/videos");
        body = await answer(fake.next ?? { images: 4 }, video);
      } catch (error) {
        // FailureBody: an APIException keeps its code; any other Error is SYSTEM_ERROR -1000. Always HTTP 200.
        const code = error instanceof JimengError ? error.code : -1000;
        body = { code, message: (error as Error).message, data: null };
        status = 200;
      }
      if (res.destroyed) return;
      res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(body));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
