import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
  /** The body parsed as JSON, when it is JSON. */
  json: unknown;
}

/** How the fake answers one request: a status and body, or `hang` (never answers). */
export type FakeAnswer = { status?: number; json?: unknown; text?: string; contentType?: string } | "hang";
export type FakeHandler = (request: RecordedRequest) => FakeAnswer | Promise<FakeAnswer>;

export interface FakeUpstream {
  url: string;
  requests: RecordedRequest[];
  /** Requests to one path. */
  to(path: string): RecordedRequest[];
  /** Sets the handler of a path (the last one set wins). */
  on(path: string, handler: FakeHandler): void;
  close(): Promise<void>;
}

/**
 * A small scripted HTTP server standing in for an AI provider: it records every request exactly
 * as it arrived and answers what the test says, speaking plain HTTP like the real one.
 */
export async function startFakeUpstream(): Promise<FakeUpstream> {
  const requests: RecordedRequest[] = [];
  const handlers = new Map<string, FakeHandler>();
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      let json: unknown;
      try {
        json = JSON.parse(body.toString("utf8"));
      } catch {
        json = undefined;
      }
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      const recorded = { method: req.method ?? "", path, headers: req.headers, body, json };
      requests.push(recorded);
      const handler = handlers.get(path);
      void Promise.resolve(handler ? handler(recorded) : { status: 404, json: { code: 404, msg: "not found" } }).then((answer) => {
        if (answer === "hang") {
          hanging.add(res);
          return;
        }
        const text = answer.text ?? JSON.stringify(answer.json ?? {});
        res.writeHead(answer.status ?? 200, { "Content-Type": answer.contentType ?? "application/json" });
        res.end(text);
      });
    });
  });
  server.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    to: (path) => requests.filter((request) => request.path === path),
    on: (path, handler) => void handlers.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The fields and files of a recorded multipart request, as the upstream would read them. */
export async function parseRecordedMultipart(
  request: RecordedRequest,
): Promise<{ fields: Record<string, string>; files: Record<string, { bytes: Buffer; filename: string; mimeType: string }> }> {
  const { default: busboy } = await import("busboy");
  const { Readable } = await import("node:stream");
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const files: Record<string, { bytes: Buffer; filename: string; mimeType: string }> = {};
    const parser = busboy({ headers: request.headers });
    parser.on("field", (name, value) => (fields[name] = value));
    parser.on("file", (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => (files[name] = { bytes: Buffer.concat(chunks), filename: info.filename ?? "", mimeType: info.mimeType }));
    });
    parser.on("error", reject);
    parser.on("close", () => resolve({ fields, files }));
    Readable.from([request.body]).pipe(parser);
  });
}
