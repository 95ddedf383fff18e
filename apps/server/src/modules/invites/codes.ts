import type { InviteCode } from "../../db/schema.js";
import { randomString, unambiguousAlphabet } from "../../lib/secrets.js";

export const inviteAlphabet = unambiguousAlphabet;
export const generatedInviteLength = 8;

/** What an operator may choose as a code: what a user can type back without ambiguity of case or spacing. */
const operatorCodePattern = /^[A-Z0-9_-]{4,64}$/;

/** Users type codes by hand: surrounding spaces and case never matter. */
export function normaliseInviteCode(code: string): string {
  return code.trim().toUpperCase();
}

export function generateInviteCode(): string {
  return randomString(inviteAlphabet, generatedInviteLength);
}

export function isAcceptableOperatorCode(normalisedCode: string): boolean {
  return operatorCodePattern.test(normalisedCode);
}

export type InviteStatus = "active" | "disabled" | "expired" | "exhausted";

/**
 * The one rule of whether a code can be used at `now`: registration claims only an `active` code,
 * and `invites list` shows this status. A personal code of a disabled account is disabled too.
 */
export function inviteStatus(
  invite: Pick<InviteCode, "disabled_at" | "expires_at" | "max_uses" | "uses">,
  now: Date,
  ownerDisabled: boolean,
): InviteStatus {
  if (invite.disabled_at || ownerDisabled) return "disabled";
  if (invite.expires_at && invite.expires_at <= now) return "expired";
  if (invite.max_uses !== null && invite.uses >= invite.max_uses) return "exhausted";
  return "active";
}
