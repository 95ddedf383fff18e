import type { Kysely } from "kysely";
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

/**
 * Counts one use of a code that is usable at `now`, in a single conditional update: the row lock
 * orders concurrent claims, so `max_uses` is never exceeded. A personal code of a disabled account
 * is not usable either.
 */
export async function claimInviteUse(db: Kysely<Database>, code: string, now: Date): Promise<{ id: number; ownerUserId: number | null } | undefined> {
  const row = await db
    .updateTable("invite_codes")
    .set((eb) => ({ uses: eb("uses", "+", 1) }))
    .where("code", "=", code)
    .where("disabled_at", "is", null)
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]))
    .where((eb) => eb.or([eb("max_uses", "is", null), eb("uses", "<", eb.ref("max_uses"))]))
    .where((eb) =>
      eb.or([
        eb("owner_user_id", "is", null),
        eb.not(eb.exists(eb.selectFrom("users").select("users.id").whereRef("users.id", "=", "invite_codes.owner_user_id").where("users.disabled_at", "is not", null))),
      ]),
    )
    .returning(["id", "owner_user_id"])
    .executeTakeFirst();
  return row ? { id: row.id, ownerUserId: row.owner_user_id } : undefined;
}

export async function findInviteCode(db: Kysely<Database>, code: string): Promise<InviteCode | undefined> {
  return db.selectFrom("invite_codes").selectAll().where("code", "=", code).executeTakeFirst();
}

export async function isUserDisabled(db: Kysely<Database>, userId: number): Promise<boolean> {
  const row = await db.selectFrom("users").select("disabled_at").where("id", "=", userId).executeTakeFirst();
  return row?.disabled_at != null;
}

export async function setInvitedBy(db: Kysely<Database>, userId: number, inviteCodeId: number): Promise<void> {
  await db.updateTable("users").set({ invited_by_code_id: inviteCodeId }).where("id", "=", userId).execute();
}

export type InviteListing = InviteCode & { owner_email: string | null };

export async function listInviteCodes(db: Kysely<Database>, { includePersonal }: { includePersonal: boolean }): Promise<InviteListing[]> {
  let query = db
    .selectFrom("invite_codes")
    .leftJoin("users", "users.id", "invite_codes.owner_user_id")
    .selectAll("invite_codes")
    .select("users.email as owner_email")
    .orderBy("invite_codes.id");
  if (!includePersonal) query = query.where("invite_codes.owner_user_id", "is", null);
  return query.execute();
}
