import { randomString } from "../../lib/secrets.js";

/** No 0/O, 1/I/L: a code read aloud or copied by hand survives. */
export const inviteAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
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
