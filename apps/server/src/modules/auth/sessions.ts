import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/schema.js";
import { AppError } from "../../errors/app-error.js";
import { keyedHash } from "../../lib/secrets.js";
import { readSession, type AuthenticatedUser } from "./session-reads.js";

export type { AuthenticatedUser } from "./session-reads.js";

/** A session's `last_seen_at` is written at most this often, so most heartbeats only read. */
export const lastSeenWriteIntervalMs = 5 * 60 * 1000;

/** The device id is the bearer secret of a session: only its keyed hash is stored. */
export function hashDeviceId(secret: string, deviceId: string): string {
  return keyedHash(secret, "device", deviceId);
}

export function isUsableDeviceId(deviceId: string | undefined): deviceId is string {
  return typeof deviceId === "string" && deviceId.length >= 8 && deviceId.length <= 200 && deviceId !== "server";
}

/**
 * A device id that was sent but that no session can have is refused, not ignored: `"server"` is the
 * frontend rendered on the server, which must log in from the browser (DESIGN §2). No header at all is
 * left to the caller (a script, an ended session).
 */
export function refuseUnusableDeviceId(deviceId: string | undefined): void {
  if (deviceId !== undefined && !isUsableDeviceId(deviceId)) throw new AppError("INVALID_DEVICE");
}

export interface SessionLookup {
  secret: string;
  idleDays: number;
  now: Date;
}

/** A session last seen before this moment has ended (SESSION_IDLE_DAYS without a heartbeat). */
export function sessionIdleSince(now: Date, idleDays: number): Date {
  return new Date(now.getTime() - idleDays * 86_400_000);
}

/**
 * The user whose active session is this (email, device) pair, or null. One indexed read (shared with
 * the lookups of the same moment, see session-reads.ts); the
 * session's `last_seen_at` is refreshed only when it is older than `lastSeenWriteIntervalMs`.
 */
export async function findActiveSession(
  db: Kysely<Database>,
  email: string,
  deviceId: string,
  { secret, idleDays, now }: SessionLookup,
): Promise<AuthenticatedUser | null> {
  const idleSince = sessionIdleSince(now, idleDays);
  const row = await readSession(db, { email, deviceHash: hashDeviceId(secret, deviceId), idleSince });
  if (!row) return null;
  if (now.getTime() - row.last_seen_at.getTime() >= lastSeenWriteIntervalMs) {
    await db.updateTable("sessions").set({ last_seen_at: now }).where("user_id", "=", row.id).where("last_seen_at", "<", now).execute();
  }
  const { last_seen_at: _lastSeen, ...user } = row;
  return user;
}

/** Makes this device the account's one active session, ending any other. */
export async function startSession(trx: Transaction<Database>, userId: number, deviceHash: string, now: Date): Promise<void> {
  await trx
    .insertInto("sessions")
    .values({ user_id: userId, device_hash: deviceHash, created_at: now, last_seen_at: now })
    .onConflict((oc) => oc.column("user_id").doUpdateSet({ device_hash: deviceHash, created_at: now, last_seen_at: now }))
    .execute();
}

export async function endSessions(db: Kysely<Database> | Transaction<Database>, userId: number): Promise<void> {
  await db.deleteFrom("sessions").where("user_id", "=", userId).execute();
}

export async function trustDevice(trx: Transaction<Database>, userId: number, deviceHash: string, now: Date): Promise<void> {
  await trx
    .insertInto("trusted_devices")
    .values({ user_id: userId, device_hash: deviceHash, created_at: now, last_used_at: now })
    .onConflict((oc) => oc.columns(["user_id", "device_hash"]).doUpdateSet({ last_used_at: now }))
    .execute();
}

export async function isTrustedDevice(db: Kysely<Database>, userId: number, deviceHash: string): Promise<boolean> {
  const row = await db
    .selectFrom("trusted_devices")
    .select("user_id")
    .where("user_id", "=", userId)
    .where("device_hash", "=", deviceHash)
    .executeTakeFirst();
  return row !== undefined;
}
