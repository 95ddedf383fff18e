import type { Kysely, Transaction } from "kysely";
import type { Database, InviteCode } from "../../db/schema.js";

export interface NewInviteCode {
  code: string;
  ownerUserId: number | null;
  maxUses: number | null;
  expiresAt: Date | null;
  now: Date;
}

/** The new row, or undefined when the code (or the owner's one personal code) already exists. */
export async function insertInviteCode(db: Kysely<Database>, invite: NewInviteCode): Promise<InviteCode | undefined> {
  return db
    .insertInto("invite_codes")
    .values({
      code: invite.code,
      owner_user_id: invite.ownerUserId,
      max_uses: invite.maxUses,
      expires_at: invite.expiresAt,
      created_at: invite.now,
    })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** The code's row, locked until the transaction ends: concurrent claims of one code take turns. */
export async function lockInviteCode(trx: Transaction<Database>, code: string): Promise<InviteCode | undefined> {
  return trx.selectFrom("invite_codes").selectAll().where("code", "=", code).forUpdate().executeTakeFirst();
}

export async function countInviteUse(trx: Transaction<Database>, inviteId: number): Promise<void> {
  await trx
    .updateTable("invite_codes")
    .set((eb) => ({ uses: eb("uses", "+", 1) }))
    .where("id", "=", inviteId)
    .execute();
}

export async function isUserDisabled(db: Kysely<Database>, userId: number): Promise<boolean> {
  const row = await db.selectFrom("users").select("disabled_at").where("id", "=", userId).executeTakeFirst();
  return row?.disabled_at != null;
}

export async function setInvitedBy(db: Kysely<Database>, userId: number, inviteCodeId: number): Promise<void> {
  await db.updateTable("users").set({ invited_by_code_id: inviteCodeId }).where("id", "=", userId).execute();
}

export type InviteListing = InviteCode & { owner_email: string | null; owner_disabled_at: Date | null };

export async function listInviteCodes(db: Kysely<Database>, { includePersonal }: { includePersonal: boolean }): Promise<InviteListing[]> {
  let query = db
    .selectFrom("invite_codes")
    .leftJoin("users", "users.id", "invite_codes.owner_user_id")
    .selectAll("invite_codes")
    .select(["users.email as owner_email", "users.disabled_at as owner_disabled_at"])
    .orderBy("invite_codes.id");
  if (!includePersonal) query = query.where("invite_codes.owner_user_id", "is", null);
  return query.execute();
}
