import type { CardKey } from "../../db/schema.js";
import { keyedHash, randomString, unambiguousAlphabet } from "../../lib/secrets.js";

export const cardKeyAlphabet = unambiguousAlphabet;
const groups = 3;
const groupLength = 4;
/** 12 symbols of 5 bits: 60 bits of randomness. */
const keyLength = groups * groupLength;
const canonicalSymbols = new RegExp(`^[${cardKeyAlphabet}]{${keyLength}}$`);

function group(compact: string): string {
  const parts: string[] = [];
  for (let i = 0; i < keyLength; i += groupLength) parts.push(compact.slice(i, i + groupLength));
  return parts.join("-");
}

/** A new key, `XXXX-XXXX-XXXX`, from crypto.randomInt. */
export function generateCardKey(): string {
  return group(randomString(cardKeyAlphabet, keyLength));
}

/**
 * The canonical `XXXX-XXXX-XXXX` form of what a user typed, or null when it cannot be a key.
 * Full-width characters (a Chinese IME) become ASCII, case is ignored, and every separator
 * (spaces, dashes, dots…) is dropped before the symbols are regrouped.
 */
export function normaliseCardKey(input: string): string | null {
  const compact = input
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]/gu, "");
  return canonicalSymbols.test(compact) ? group(compact) : null;
}

/** Only this hash is stored: a leaked table gives away no key. */
export function hashCardKey(secret: string, canonicalKey: string): string {
  return keyedHash(secret, "card", canonicalKey);
}

export type CardRefusal = "CARD_INVALID" | "CARD_USED" | "CARD_DISABLED" | "CARD_EXPIRED";

/**
 * Why a key cannot be redeemed now, or undefined when it can: the one rule of a key's
 * redeemability (unknown, used, disabled, expired — in that order of telling).
 */
export function cardRefusal(
  card: Pick<CardKey, "redeemed_at" | "disabled_at" | "expires_at"> | undefined,
  now: Date,
): CardRefusal | undefined {
  if (!card) return "CARD_INVALID";
  if (card.redeemed_at) return "CARD_USED";
  if (card.disabled_at) return "CARD_DISABLED";
  if (card.expires_at && card.expires_at.getTime() <= now.getTime()) return "CARD_EXPIRED";
  return undefined;
}
