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

export async function newestCodeSentAt(db: Kysely<Database>, email: string): Promise<Date | undefined> {
  const row = await db.selectFrom("verification_codes").select("created_at").where("email", "=", email).orderBy("id", "desc").limit(1).executeTakeFirst();
  return row?.created_at;
}

/** Only the newest code of an email counts; locked so that concurrent uses of it take turns. */
export async function lockNewestCode(trx: Transaction<Database>, email: string): Promise<VerificationCode | undefined> {
  return trx.selectFrom("verification_codes").selectAll().where("email", "=", email).orderBy("id", "desc").limit(1).forUpdate().executeTakeFirst();
}

export async function countWrongTry(trx: Transaction<Database>, codeId: number): Promise<void> {
  await trx.updateTable("verification_codes").set((eb) => ({ attempts: eb("attempts", "+", 1) })).where("id", "=", codeId).execute();
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
