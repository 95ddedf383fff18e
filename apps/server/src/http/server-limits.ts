import type { Server } from "node:http";

/**
 * Deliberate HTTP timeouts. `requestTimeout` bounds only the receipt of a request (headers and
 * body), never the answer: a held generation answer may take up to 600 s and is not cut.
 */
export const serverLimits = {
  /** A client has this long to send its headers (slowloris). */
  headersTimeoutMs: 20_000,
  /** ...and this long to send its whole request, an upload included. */
  requestTimeoutMs: 120_000,
  /** Idle keep-alive connections close after this; above the usual 60 s of proxies in front, so they close first. */
  keepAliveTimeoutMs: 65_000,
} as const;

export function applyServerLimits(server: Server): void {
  server.headersTimeout = serverLimits.headersTimeoutMs;
  server.requestTimeout = serverLimits.requestTimeoutMs;
  server.keepAliveTimeout = serverLimits.keepAliveTimeoutMs;
}
