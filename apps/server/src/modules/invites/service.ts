import type { ErrorCode } from "@ocean1/contract";
import type { Kysely, Transaction } from "kysely";
import type { Database, InviteCode } from "../../db/schema.js";
import { AppError } from "../../errors/app-error.js";
import { changePoints } from "../points/ledger.js";
import { generateInviteCode, normaliseInviteCode } from "./codes.js";
import { claimInviteUse, findInviteCode, insertInviteCode, isUserDisabled, listInviteCodes, setInvitedBy, type InviteListing, type NewInviteCode } from "./queries.js";

/** 32^8 codes make a collision rare; a few fresh draws make it irrelevant. */
const generationAttempts = 5;

export class InviteCodeTakenError extends Error {
  override name = "InviteCodeTakenError";
  constructor(readonly code: string) {
    super(`invite code ${code} already exists`);
  }
}

async function insertGeneratedCode(db: Kysely<Database>, invite: Omit<NewInviteCode, "code">): Promise<InviteCode> {
  for (let attempt = 0; attempt < generationAttempts; attempt++) {
    const row = await insertInviteCode(db, { ...invite, code: generateInviteCode() });
    if (row) return row;
  }
  throw new Error(`could not generate a free invite code in ${generationAttempts} attempts`);
}

export interface OperatorInviteOptions {
  /** Chosen by the operator; generated when absent. Must already be acceptable (see `isAcceptableOperatorCode`). */
  code?: string;
  maxUses?: number;
  expiresAt?: Date;
}

export async function createOperatorInvite(db: Kysely<Database>, options: OperatorInviteOptions, now: Date): Promise<InviteCode> {
  const invite = { ownerUserId: null, maxUses: options.maxUses ?? null, expiresAt: options.expiresAt ?? null, now };
  if (options.code === undefined) return insertGeneratedCode(db, invite);
  const code = normaliseInviteCode(options.code);
  const row = await insertInviteCode(db, { ...invite, code });
  if (!row) throw new InviteCodeTakenError(code);
  return row;
}

/** The one personal code of a new user, without limit or expiry. */
export async function createPersonalInvite(trx: Transaction<Database>, userId: number, now: Date): Promise<InviteCode> {
  return insertGeneratedCode(trx, { ownerUserId: userId, maxUses: null, expiresAt: null, now });
}

export function listInvites(db: Kysely<Database>, options: { includePersonal: boolean }): Promise<InviteListing[]> {
  return listInviteCodes(db, options);
}

/** Said only after the claim failed, so the answer names the reason the user can act on. */
async function whyUnusable(db: Kysely<Database>, code: string, now: Date): Promise<ErrorCode> {
  const row = await findInviteCode(db, code);
  if (!row || row.disabled_at) return "INVITE_INVALID";
  if (row.owner_user_id !== null && (await isUserDisabled(db, row.owner_user_id))) return "INVITE_INVALID";
  if (row.expires_at && row.expires_at <= now) return "INVITE_EXPIRED";
  if (row.max_uses !== null && row.uses >= row.max_uses) return "INVITE_EXHAUSTED";
  return "INVITE_INVALID";
}

export interface InviteUse {
  /** As the user typed it; normalised here. */
  code: string;
  /** The user being registered with it. */
  userId: number;
  /** Points credited to the owner of a personal code (0: none, and no ledger row). */
  inviterBonus: number;
  now: Date;
}

/** Inside the registration's transaction: counts the use, links the user to the code and credits the inviter. */
export async function applyInviteCode(trx: Transaction<Database>, use: InviteUse): Promise<void> {
  const code = normaliseInviteCode(use.code);
  const claimed = await claimInviteUse(trx, code, use.now);
  if (!claimed) throw new AppError(await whyUnusable(trx, code, use.now));
  await setInvitedBy(trx, use.userId, claimed.id);
  if (claimed.ownerUserId !== null && use.inviterBonus > 0) {
    await changePoints(trx, {
      userId: claimed.ownerUserId,
      delta: use.inviterBonus,
      type: "invite",
      description: "邀请好友奖励",
      ref: `user:${use.userId}`,
    });
  }
}
