import type { UserData } from "@ocean1/contract";
import type { Kysely, Transaction } from "kysely";
import type { Database, User } from "../../db/schema.js";
import { AppError } from "../../errors/app-error.js";

export type AccountRow = Pick<User, "id" | "email" | "nickname" | "password_hash" | "disabled_at">;

export async function findAccountByEmail(db: Kysely<Database>, email: string): Promise<AccountRow | undefined> {
  return db
    .selectFrom("users")
    .select(["id", "email", "nickname", "password_hash", "disabled_at"])
    .where("email", "=", email)
    .executeTakeFirst();
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const { code, constraint: violated } = (error ?? {}) as { code?: unknown; constraint?: unknown };
  return code === "23505" && violated === constraint;
}

export interface NewAccount {
  email: string;
  nickname: string;
  passwordHash: string;
  now: Date;
}

/** The new user's id; a taken email (also one taken by a concurrent registration) is EMAIL_TAKEN. */
export async function insertAccount(trx: Transaction<Database>, account: NewAccount): Promise<number> {
  try {
    const row = await trx
      .insertInto("users")
      .values({ email: account.email, nickname: account.nickname, password_hash: account.passwordHash, created_at: account.now })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  } catch (error) {
    if (isUniqueViolation(error, "users_email_key")) throw new AppError("EMAIL_TAKEN");
    throw error;
  }
}

export async function setPasswordHash(trx: Transaction<Database>, userId: number, passwordHash: string): Promise<void> {
  await trx.updateTable("users").set({ password_hash: passwordHash }).where("id", "=", userId).execute();
}

/** What a successful login answers: the profile, balance and personal invite code. */
export async function loadUserData(db: Kysely<Database>, userId: number): Promise<UserData> {
  const row = await db
    .selectFrom("users")
    .leftJoin("invite_codes", "invite_codes.owner_user_id", "users.id")
    .select(["users.nickname", "users.email", "users.points", "invite_codes.code as invite_code"])
    .where("users.id", "=", userId)
    .executeTakeFirstOrThrow();
  const { invite_code, ...profile } = row;
  return invite_code === null ? profile : { ...profile, invite_code };
}
