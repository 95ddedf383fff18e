import { randomUUID } from "node:crypto";
import type { AppDeps } from "../deps.js";
import { hashPassword } from "../lib/passwords.js";
import { hashDeviceId, startSession, trustDevice } from "../modules/auth/sessions.js";
import { changePoints } from "../modules/points/ledger.js";

export interface TestUser {
  id: number;
  email: string;
  deviceId: string;
  /** The headers of the user's active session, as the frontend sends them. */
  headers: { "x-user-email": string; "x-device-id": string };
}

export interface TestUserOptions {
  email?: string;
  /** Credited by the first ledger row, as the sign-up bonus is. */
  points?: number;
  nickname?: string;
  /** The user's personal invite code, when it should have one. */
  inviteCode?: string;
}

export const testPassword = "correct horse battery";
let testPasswordHash: Promise<string> | undefined;

/**
 * A registered user with a trusted device and an active session, written straight to the
 * database (not through the auth endpoints), with its first ledger row written by changePoints.
 */
export async function createTestUser(deps: AppDeps, options: TestUserOptions = {}): Promise<TestUser> {
  const email = options.email ?? `user-${randomUUID().slice(0, 8)}@example.com`;
  const deviceId = randomUUID();
  const now = deps.clock.now();
  testPasswordHash ??= hashPassword(testPassword);
  const passwordHash = await testPasswordHash;
  const id = await deps.db.transaction().execute(async (trx) => {
    const user = await trx
      .insertInto("users")
      .values({ email, nickname: options.nickname ?? "Tester", password_hash: passwordHash, created_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    await changePoints(trx, { userId: user.id, delta: options.points ?? 0, type: "register", description: "注册赠送", ref: null });
    const deviceHash = hashDeviceId(deps.secret, deviceId);
    await trustDevice(trx, user.id, deviceHash, now);
    await startSession(trx, user.id, deviceHash, now);
    if (options.inviteCode) {
      await trx.insertInto("invite_codes").values({ code: options.inviteCode, owner_user_id: user.id, created_at: now }).execute();
    }
    return user.id;
  });
  return { id, email, deviceId, headers: { "x-user-email": email, "x-device-id": deviceId } };
}

export async function pointsOf(deps: AppDeps, userId: number): Promise<number> {
  const row = await deps.db.selectFrom("users").select("points").where("id", "=", userId).executeTakeFirstOrThrow();
  return row.points;
}
