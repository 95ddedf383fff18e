import { randomInt } from "node:crypto";
import type { Transaction } from "kysely";
import type { CodePurpose, Database, VerificationCode } from "../../db/schema.js";
import type { AppDeps } from "../../deps.js";
import { AppError } from "../../errors/app-error.js";
import { keyedHash, sameHash } from "../../lib/secrets.js";
import { countWrongTry, findNewestCode, lockNewestCode, markConsumed } from "./code-queries.js";
import { codeMailCooldownSeconds } from "./limits.js";

export const codeValidMinutes = 10;
/** Wrong tries a code survives; the next try fails even with the right code. */
export const maxWrongTries = 5;

export function generateCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

export function hashCode(secret: string, code: string): string {
  return keyedHash(secret, "code", code);
}

export interface CodeCheck {
  email: string;
  code: string;
  purpose: CodePurpose;
  /** A login code is bound to the device whose password check sent it. */
  deviceHash?: string;
  now: Date;
}

type CodeFailure = "CODE_INVALID" | "CODE_EXPIRED" | "CODE_LOCKED";

/**
 * Why a stored code cannot be used now, whatever digits come with it — the one rule of a code's
 * validity, for a check and for "is the code in the inbox still good?". A code of another device
 * (a login code is bound to the device whose password check sent it) is refused before anything
 * else: the answer must not tell whether the digits were right.
 */
function unusable(
  row: VerificationCode | undefined,
  purpose: CodePurpose,
  deviceHash: string | undefined,
  now: Date,
): CodeFailure | undefined {
  if (!row || row.consumed_at !== null) return "CODE_INVALID";
  if (purpose === "login" && !(row.device_hash !== null && deviceHash !== undefined && sameHash(row.device_hash, deviceHash)))
    return "CODE_INVALID";
  if (row.attempts >= maxWrongTries) return "CODE_LOCKED";
  if (row.expires_at <= now) return "CODE_EXPIRED";
  return undefined;
}

async function checkNewestCode(
  trx: Transaction<Database>,
  secret: string,
  check: CodeCheck,
): Promise<{ failure: CodeFailure } | { codeId: number }> {
  const row = await lockNewestCode(trx, check.email, check.purpose);
  const failure = unusable(row, check.purpose, check.deviceHash, check.now);
  if (failure || !row) return { failure: failure ?? "CODE_INVALID" };
  if (!sameHash(row.code_hash, hashCode(secret, check.code))) {
    await countWrongTry(trx, row.id);
    return { failure: "CODE_INVALID" };
  }
  return { codeId: row.id };
}

/**
 * Runs `operation` in one transaction with the email's newest code locked and checked, and
 * consumes the code only if the operation succeeds. A wrong try is committed before the failure
 * is thrown, so it counts even though nothing else is written.
 */
export async function withVerifiedCode<T>(
  deps: Pick<AppDeps, "db" | "secret">,
  check: CodeCheck,
  operation: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  const outcome = await deps.db.transaction().execute(async (trx): Promise<{ failure: CodeFailure } | { value: T }> => {
    const checked = await checkNewestCode(trx, deps.secret, check);
    if ("failure" in checked) return checked;
    const value = await operation(trx);
    await markConsumed(trx, checked.codeId, check.now);
    return { value };
  });
  if ("failure" in outcome) throw new AppError(outcome.failure);
  return outcome.value;
}

/**
 * True when this device's login code, sent less than a cooldown ago, still works: a retried login
 * then answers NEED_VERIFY again without mailing another code (the one in the inbox is the one).
 */
export async function hasFreshLoginCode(deps: Pick<AppDeps, "db">, email: string, deviceHash: string, now: Date): Promise<boolean> {
  const row = await findNewestCode(deps.db, email, "login");
  if (!row || unusable(row, "login", deviceHash, now)) return false;
  return now.getTime() - row.created_at.getTime() < codeMailCooldownSeconds * 1000;
}
