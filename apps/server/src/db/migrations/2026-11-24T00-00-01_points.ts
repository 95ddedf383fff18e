import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("invite_codes")
    .addColumn("id", "integer", (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("code", "text", (col) => col.notNull().unique())
    .addColumn("owner_user_id", "integer", (col) => col.unique().references("users.id").onDelete("cascade"))
    .addColumn("max_uses", "integer", (col) => col.check(sql`max_uses > 0`))
    .addColumn("uses", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("expires_at", "timestamptz")
    .addColumn("disabled_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("invite_codes_uses_within_limit", sql`uses >= 0 and (max_uses is null or uses <= max_uses)`)
    .execute();

  await db.schema
    .alterTable("users")
    .addColumn("points", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("invited_by_code_id", "integer", (col) => col.references("invite_codes.id").onDelete("set null"))
    .addColumn("last_reward_day", "date")
    .execute();
  await db.schema
    .alterTable("users")
    .addCheckConstraint("users_points_not_negative", sql`points >= 0`)
    .execute();

  await db.schema
    .createTable("ledger")
    .addColumn("id", "bigint", (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("user_id", "integer", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("type", "text", (col) =>
      col.notNull().check(sql`type in ('register', 'recharge', 'consume', 'refund', 'reward', 'invite', 'adjust')`),
    )
    .addColumn("amount", "integer", (col) => col.notNull())
    .addColumn("balance_after", "integer", (col) => col.notNull().check(sql`balance_after >= 0`))
    .addColumn("description", "text", (col) => col.notNull())
    .addColumn("ref", "text")
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("ledger_user_id_idx").on("ledger").columns(["user_id", "id desc"]).execute();
  // A backstop for the daily reward: one row per user and day, whatever the code does.
  await db.schema
    .createIndex("ledger_reward_once_per_day")
    .on("ledger")
    .columns(["user_id", "ref"])
    .unique()
    .where(sql.ref("type"), "=", "reward")
    .execute();

  await db.schema
    .createTable("card_keys")
    .addColumn("id", "integer", (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("key_hash", "text", (col) => col.notNull().unique())
    .addColumn("points", "integer", (col) => col.notNull().check(sql`points > 0`))
    .addColumn("batch", "text")
    .addColumn("expires_at", "timestamptz")
    .addColumn("disabled_at", "timestamptz")
    .addColumn("redeemed_by", "integer", (col) => col.references("users.id").onDelete("set null"))
    .addColumn("redeemed_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("card_keys").execute();
  await db.schema.dropTable("ledger").execute();
  await db.schema.alterTable("users").dropConstraint("users_points_not_negative").execute();
  await db.schema.alterTable("users").dropColumn("last_reward_day").dropColumn("invited_by_code_id").dropColumn("points").execute();
  await db.schema.dropTable("invite_codes").execute();
}
