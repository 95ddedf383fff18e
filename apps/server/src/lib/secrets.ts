import { createHmac, randomInt, timingSafeEqual } from "node:crypto";

/**
 * Keyed hash of a secret value (verification code, device id, card key): stable for lookups,
 * useless without OCEAN1_SECRET. Each use names its purpose so that equal inputs never collide.
 */
export function keyedHash(secret: string, purpose: string, value: string): string {
  return createHmac("sha256", secret).update(`${purpose}\0${value}`).digest("base64url");
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Upper-case letters and digits without 0/O and 1/I: 32 symbols (5 bits each) that survive being
 * read aloud or copied by hand. Card keys and generated invite codes both use it.
 */
export const unambiguousAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/** A uniformly random string over `alphabet`. */
export function randomString(alphabet: string, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/**
 * Upstream text (an error message, an answer) with every secret it may echo taken out: the keys we
 * configured, and anything shaped like one — a `Bearer …` credential, an OpenAI-style `sk-…` key.
 * Provider texts pass through here before they are logged or stored.
 */
export function scrubSecrets(text: string, keys: readonly string[] = []): string {
  let out = text;
  for (const key of keys) if (key.length >= 4) out = out.replaceAll(key, "[redacted]");
  return out.replace(/\bBearer\s+[^\s"',;]+/gi, "Bearer [redacted]").replace(/\bsk-[A-Za-z0-9_-]{6,}/g, "sk-[redacted]");
}
