import type { Kysely, Transaction } from "kysely";
import type { CodePurpose, Database, VerificationCode } from "../../db/schema.js";

export interface NewCode {
  email: string;
  purpose: CodePurpose;
  codeHash: string;
  deviceHash: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export async function insertCode(db: Kysely<Database>, code: NewCode): Promise<void> {
  await db
    .insertInto("verification_codes")
    .values({
      email: code.email,
      purpose: code.purpose,
      code_hash: code.codeHash,
      device_hash: code.deviceHash,
      created_at: code.createdAt,
      expires_at: code.expiresAt,
    })
    .execute();
}

/**
 * Only the newest code of an email and purpose counts (a stranger's send_code never supersedes
 * the owner's login code); locked so that concurrent uses of it take turns.
 */
export async function lockNewestCode(
  trx: Transaction<Database>,
  email: string,
  purpose: CodePurpose,
): Promise<VerificationCode | undefined> {
  return newestCodeQuery(trx, email, purpose).forUpdate().executeTakeFirst();
}

export async function findNewestCode(db: Kysely<Database>, email: string, purpose: CodePurpose): Promise<VerificationCode | undefined> {
  return newestCodeQuery(db, email, purpose).executeTakeFirst();
}

function newestCodeQuery(db: Kysely<Database>, email: string, purpose: CodePurpose) {
  return db
    .selectFrom("verification_codes")
    .selectAll()
    .where("email", "=", email)
    .where("purpose", "=", purpose)
    .orderBy("id", "desc")
    .limit(1);
}

export async function countWrongTry(trx: Transaction<Database>, codeId: number): Promise<void> {
  await trx
    .updateTable("verification_codes")
    .set((eb) => ({ attempts: eb("attempts", "+", 1) }))
    .where("id", "=", codeId)
    .execute();
}

export async function markConsumed(trx: Transaction<Database>, codeId: number, now: Date): Promise<void> {
  await trx.updateTable("verification_codes").set({ consumed_at: now }).where("id", "=", codeId).execute();
}

/** Codes expired for a day serve nothing (limits live in their own counters); dropping them keeps the table small. */
export async function deleteStaleCodes(db: Kysely<Database>, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - 86_400_000);
  const result = await db.deleteFrom("verification_codes").where("expires_at", "<", cutoff).executeTakeFirst();
  return Number(result.numDeletedRows);
}
