import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * How a broken upstream answers: `reset` sends the status line, headers and half a JSON body, then
 * resets the connection; `truncated` sends a complete HTTP answer whose JSON body stops halfway (a
 * malformed stream); `json` answers normally.
 */
export type BrokenAnswer = { kind: "reset" } | { kind: "truncated" } | { kind: "json"; json: unknown };

export interface BrokenUpstream {
  url: string;
  /** Requests seen per path. */
  counts: Map<string, number>;
  on(path: string, answer: (seen: number, body: unknown) => BrokenAnswer): void;
  close(): Promise<void>;
}

const halfBody = '{"code":0,"msg":"success","data":{"id":"half-';

/** A small HTTP server that fails the way networks and proxies do, in the middle of an answer. */
export async function startBrokenUpstream(): Promise<BrokenUpstream> {
  const counts = new Map<string, number>();
  const handlers = new Map<string, (seen: number, body: unknown) => BrokenAnswer>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      const seen = (counts.get(path) ?? 0) + 1;
      counts.set(path, seen);
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        body = undefined;
      }
      const answer = handlers.get(path)?.(seen, body) ?? { kind: "json", json: { code: 404, msg: "not found" } };
      if (answer.kind === "json") {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify(answer.json));
      } else if (answer.kind === "truncated") {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(halfBody);
      } else {
        res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "400" });
        res.write(halfBody);
        setTimeout(() => res.socket?.destroy(), 20);
      }
    });
  });
  server.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    on: (path, answer) => void handlers.set(path, answer),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
