import { Writable } from "node:stream";
import { createLogger, type Logger } from "../logger.js";

/** One parsed pino line: its well-known keys typed, the rest whatever was logged. */
export type LogLine = { level: string | number; msg?: string; requestId?: string } & Record<string, unknown>;

export interface CapturedLog {
  logger: Logger;
  /** Every line logged so far, parsed. */
  lines(): LogLine[];
  /** The raw text logged so far. */
  text(): string;
}

/** A real pino logger at `level` that writes into memory, for tests that read what was logged. */
export function captureLog(level = "debug"): CapturedLog {
  let text = "";
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return {
    logger: createLogger(level, destination),
    lines: () =>
      text
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as LogLine),
    text: () => text,
  };
}
