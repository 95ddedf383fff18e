import { pino, type Logger } from "pino";

export type { Logger };

/** Keys whose values never reach the log, at any depth of a logged object (compared in lower case). */
const secretKeys = new Set([
  "password",
  "new_password",
  "verify_code",
  "card_key",
  "device_id",
  "x-device-id",
  "authorization",
  "cookie",
  "set-cookie",
  "apikey",
  "api_key",
  "x-api-key",
  "secret",
]);

/**
 * `code` is a verification code in a request body but an SQLSTATE, errno or failure code in an
 * error: only a value shaped like a verification code (6 digits) is hidden, so errors stay readable.
 */
const verificationCodeShape = /^\d{6}$/;

const censor = "[redacted]";
const maxDepth = 10;

function isSecret(key: string, value: unknown): boolean {
  const name = key.toLowerCase();
  if (secretKeys.has(name)) return true;
  return name === "code" && typeof value === "string" && verificationCodeShape.test(value.trim());
}

/** A copy of `value` with every secret replaced; plain objects and arrays only (errors keep their serializer). */
export function redactSecrets(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== "object" || depth > maxDepth || seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1, seen));
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = isSecret(key, item) ? censor : redactSecrets(item, depth + 1, seen);
  return copy;
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "ocean1" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redactSecrets(object) as Record<string, unknown>,
      },
    },
    destination,
  );
}
