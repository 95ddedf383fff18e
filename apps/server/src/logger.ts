import { pino, type Logger } from "pino";

export type { Logger };

/**
 * Secrets never reach the log, wherever they appear in a logged object. (Not `code`: error objects
 * carry SQLSTATE and errno codes there, and verification codes travel as `verify_code` or in bodies,
 * which are never logged.)
 */
export const redactedPaths = [
  "password",
  "*.password",
  "verify_code",
  "*.verify_code",
  "device_id",
  "*.device_id",
  "card_key",
  "*.card_key",
  "apiKey",
  "*.apiKey",
  "api_key",
  "*.api_key",
  "authorization",
  "*.authorization",
  'headers["x-device-id"]',
  '*.headers["x-device-id"]',
  "headers.authorization",
  "*.headers.authorization",
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "ocean1" },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactedPaths, censor: "[redacted]" },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
