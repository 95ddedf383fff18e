import type { Kysely, Transaction } from "kysely";
import type { CardKey, Database } from "../../db/schema.js";

export interface NewCardKey {
  keyHash: string;
  points: number;
  batch: string | null;
  expiresAt: Date | null;
  createdAt: Date;
}

/** Inserts the keys whose hash is new; answers the rows inserted (a colliding hash is skipped). */
export async function insertCardKeys(trx: Transaction<Database>, keys: NewCardKey[]): Promise<Pick<CardKey, "id" | "key_hash">[]> {
  if (keys.length === 0) return [];
  return trx
    .insertInto("card_keys")
    .values(keys.map((k) => ({ key_hash: k.keyHash, points: k.points, batch: k.batch, expires_at: k.expiresAt, created_at: k.createdAt })))
    .onConflict((oc) => oc.column("key_hash").doNothing())
    .returning(["id", "key_hash"])
    .execute();
}

export interface CardKeyListing {
  id: number;
  points: number;
  batch: string | null;
  expires_at: Date | null;
  disabled_at: Date | null;
  redeemed_by: string | null;
  redeemed_at: Date | null;
  created_at: Date;
}

export async function listCardKeys(db: Kysely<Database>, filter: { batch?: string | undefined }): Promise<CardKeyListing[]> {
  let query = db
    .selectFrom("card_keys")
    .leftJoin("users", "users.id", "card_keys.redeemed_by")
    .select([
      "card_keys.id",
      "card_keys.points",
      "card_keys.batch",
      "card_keys.expires_at",
      "card_keys.disabled_at",
      "users.email as redeemed_by",
      "card_keys.redeemed_at",
      "card_keys.created_at",
    ])
    .orderBy("card_keys.id");
  if (filter.batch !== undefined) query = query.where("card_keys.batch", "=", filter.batch);
  return query.execute();
}

export type CardKeySelector = { id: number } | { keyHash: string };

export async function findCardKey(db: Kysely<Database>, selector: CardKeySelector): Promise<CardKey | undefined> {
  const query = db.selectFrom("card_keys").selectAll();
  return ("id" in selector ? query.where("id", "=", selector.id) : query.where("key_hash", "=", selector.keyHash)).executeTakeFirst();
}

/** Disables a key nobody has redeemed; answers nothing when it is redeemed, already disabled or unknown. */
export async function disableUnredeemedCardKey(db: Kysely<Database>, id: number, now: Date): Promise<CardKey | undefined> {
  return db
    .updateTable("card_keys")
    .set({ disabled_at: now })
    .where("id", "=", id)
    .where("redeemed_by", "is", null)
    .where("disabled_at", "is", null)
    .returningAll()
    .executeTakeFirst();
}

/**
 * The key with this hash, locked until the transaction ends: a concurrent redeem of the same key
 * waits here and then reads the row as the first one left it (READ COMMITTED re-reads a locked row).
 */
export async function lockCardKey(trx: Transaction<Database>, keyHash: string): Promise<CardKey | undefined> {
  return trx.selectFrom("card_keys").selectAll().where("key_hash", "=", keyHash).forUpdate().executeTakeFirst();
}

/** Marks a locked key redeemed by this user. */
export async function markCardKeyRedeemed(trx: Transaction<Database>, id: number, userId: number, now: Date): Promise<void> {
  await trx.updateTable("card_keys").set({ redeemed_by: userId, redeemed_at: now }).where("id", "=", id).execute();
}
