import type { Kysely } from "kysely";
import type { Database, User } from "../../db/schema.js";

export type UserSummary = Pick<User, "id" | "email" | "nickname" | "points" | "disabled_at" | "created_at">;

export async function findUserByEmail(db: Kysely<Database>, email: string): Promise<User | undefined> {
  return db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
}

export async function listUserSummaries(db: Kysely<Database>, limit: number | undefined): Promise<UserSummary[]> {
  let query = db.selectFrom("users").select(["id", "email", "nickname", "points", "disabled_at", "created_at"]).orderBy("id");
  if (limit !== undefined) query = query.limit(limit);
  return query.execute();
}

export async function findPersonalInviteCode(db: Kysely<Database>, userId: number): Promise<string | undefined> {
  const row = await db.selectFrom("invite_codes").select("code").where("owner_user_id", "=", userId).executeTakeFirst();
  return row?.code;
}

export async function countTrustedDevices(db: Kysely<Database>, userId: number): Promise<number> {
  const row = await db
    .selectFrom("trusted_devices")
    .select((eb) => eb.fn.countAll<number>().as("devices"))
    .where("user_id", "=", userId)
    .executeTakeFirstOrThrow();
  return Number(row.devices);
}

export async function findSessionLastSeen(db: Kysely<Database>, userId: number): Promise<Date | undefined> {
  const row = await db.selectFrom("sessions").select("last_seen_at").where("user_id", "=", userId).executeTakeFirst();
  return row?.last_seen_at;
}

/** Marks the user disabled unless it already is; true when this call disabled it. */
export async function markUserDisabled(db: Kysely<Database>, userId: number, now: Date): Promise<boolean> {
  const row = await db
    .updateTable("users")
    .set({ disabled_at: now })
    .where("id", "=", userId)
    .where("disabled_at", "is", null)
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}
