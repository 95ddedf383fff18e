import { prepared } from "../../db/database.js";
import { batchedRead } from "../../db/read-batches.js";
import type { User } from "../../db/schema.js";

/** The user of an active session, as every protected operation sees it. */
export type AuthenticatedUser = Pick<User, "id" | "email" | "nickname" | "points" | "last_reward_day">;

export type SessionRow = AuthenticatedUser & { last_seen_at: Date };

interface SessionKey {
  email: string;
  deviceHash: string;
  idleSince: Date;
}

/** Every lookup of one turn, in one statement: a kick-off is seen by the very next call (db/read-batches.ts). */
const batchQuery = `select q.i::int as i, u.id, u.email, u.nickname, u.points, u.last_reward_day, s.last_seen_at
  from unnest($1::text[], $2::text[], $3::timestamptz[]) with ordinality as q(email, device_hash, idle_since, i)
  join users u on u.email = q.email and u.disabled_at is null
  join sessions s on s.user_id = u.id and s.device_hash = q.device_hash and s.last_seen_at > q.idle_since`;

/** The session row of (email, device hash) still active after `idleSince`, read with the lookups of the same turn. */
export const readSession = batchedRead(async (db, keys: SessionKey[]): Promise<Array<SessionRow | undefined>> => {
  const { rows } = await db.executeQuery(
    prepared<SessionRow & { i: number }>(batchQuery, [
      keys.map((key) => key.email),
      keys.map((key) => key.deviceHash),
      keys.map((key) => key.idleSince),
    ]),
  );
  const found = new Map(rows.map(({ i, ...row }) => [i, row]));
  return keys.map((_key, k) => found.get(k + 1));
}, 200);
