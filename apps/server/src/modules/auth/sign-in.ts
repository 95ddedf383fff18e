import type { UserData } from "@ocean1/contract";
import type { Transaction } from "kysely";
import type { Database } from "../../db/schema.js";
import { loadUserData } from "./queries.js";
import { startSession, trustDevice } from "./sessions.js";

/** The device becomes trusted and the account's one active session (ending any other); answers the login data. */
export async function signIn(trx: Transaction<Database>, userId: number, deviceHash: string, now: Date): Promise<UserData> {
  await trustDevice(trx, userId, deviceHash, now);
  await startSession(trx, userId, deviceHash, now);
  return loadUserData(trx, userId);
}
