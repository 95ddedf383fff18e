import { sql } from "kysely";
import type { Db } from "../db/database.js";
import { systemClock } from "../lib/clock.js";
import { hashPassword } from "../lib/passwords.js";
import { createCardKeys } from "../modules/cards/manage.js";
import { hashDeviceId } from "../modules/auth/sessions.js";

export const benchPassword = "bench password";
export const historyRowsPerUser = 20;

export const benchUser = {
  email: (i: number | string) => `bench${i}@example.com`,
  device: (i: number | string) => `bench-device-${i}`,
};

/**
 * `users` users, each with an active session on `bench-device-<i>` (also trusted, so a login needs
 * no code) and `historyRowsPerUser` ledger rows that agree with the balance (`ledger check` holds).
 */
export async function seedUsers(db: Db, secret: string, users: number): Promise<void> {
  const passwordHash = await hashPassword(benchPassword);
  for (let from = 0; from < users; from += 1000) {
    const batch = Array.from({ length: Math.min(1000, users - from) }, (_, k) => from + k);
    const inserted = await db
      .insertInto("users")
      .values(batch.map((i) => ({ email: benchUser.email(i), nickname: `bench${i}`, password_hash: passwordHash })))
      .returning(["id"])
      .execute();
    const devices = inserted.map((u, k) => ({ user_id: u.id, device_hash: hashDeviceId(secret, benchUser.device(batch[k] ?? 0)) }));
    await db.insertInto("sessions").values(devices).execute();
    await db.insertInto("trusted_devices").values(devices).execute();
  }
  await sql`insert into ledger (user_id, type, amount, balance_after, description, ref)
    select u.id, 'adjust', 1, n, 'bench', 'operator' from users u cross join generate_series(1, ${historyRowsPerUser}) n`.execute(db);
  await sql`update users set points = ${historyRowsPerUser}`.execute(db);
}

/** Card keys of 10 points each, for the redeem scenario. */
export async function seedCards(db: Db, secret: string, count: number): Promise<string[]> {
  const cards = await createCardKeys({ db, secret, clock: systemClock }, { points: 10, count, expiresAt: null, batch: "bench" });
  return cards.map((card) => card.card_key);
}
