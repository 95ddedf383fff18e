import type { ErrorCode } from "@ocean1/contract";
import type { Kysely, Transaction } from "kysely";
import type { Database, InviteCode } from "../../db/schema.js";
import { AppError } from "../../errors/app-error.js";
import { changePoints } from "../points/ledger.js";
import { generateInviteCode, inviteStatus, normaliseInviteCode, type InviteStatus } from "./codes.js";
import {
  countInviteUse,
  insertInviteCode,
  isUserDisabled,
  listInviteCodes,
  lockInviteCode,
  setInvitedBy,
  type InviteListing,
  type NewInviteCode,
} from "./queries.js";

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

const refusal: Record<Exclude<InviteStatus, "active">, ErrorCode> = {
  disabled: "INVITE_INVALID",
  expired: "INVITE_EXPIRED",
  exhausted: "INVITE_EXHAUSTED",
};

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
  const invite = await lockInviteCode(trx, normaliseInviteCode(use.code));
  if (!invite) throw new AppError("INVITE_INVALID");
  const ownerDisabled = invite.owner_user_id !== null && (await isUserDisabled(trx, invite.owner_user_id));
  const status = inviteStatus(invite, use.now, ownerDisabled);
  if (status !== "active") throw new AppError(refusal[status]);
  await countInviteUse(trx, invite.id);
  await setInvitedBy(trx, use.userId, invite.id);
  if (invite.owner_user_id !== null && use.inviterBonus > 0) {
    await changePoints(trx, {
      userId: invite.owner_user_id,
      delta: use.inviterBonus,
      type: "invite",
      description: "邀请好友奖励",
      ref: `user:${use.userId}`,
    });
  }
}
