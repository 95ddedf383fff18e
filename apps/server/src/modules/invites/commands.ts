import type { Command } from "../../cli/commands.js";
import { formatTable, UsageError, type Row } from "../../cli/output.js";
import type { InviteCode } from "../../db/schema.js";
import { isAcceptableOperatorCode, normaliseInviteCode } from "./codes.js";
import type { InviteListing } from "./queries.js";
import { createOperatorInvite, listInvites } from "./service.js";

/** A date (`2026-12-31`, midnight UTC) or a date and time with an optional offset. */
const isoDateTime = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;
const maxInteger = 2_147_483_647;

function parseCode(value: string | boolean | undefined): string | undefined {
  if (value === undefined) return undefined;
  const code = typeof value === "string" ? normaliseInviteCode(value) : "";
  if (!isAcceptableOperatorCode(code)) throw new UsageError("--code must be 4-64 characters: letters, digits, '-' or '_'");
  return code;
}

function parseMaxUses(value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  const uses = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(uses >= 1 && uses <= maxInteger)) throw new UsageError("--max-uses must be a whole number of at least 1");
  return uses;
}

function parseExpiry(value: string | boolean | undefined, now: Date): Date | undefined {
  if (value === undefined) return undefined;
  const expiresAt = typeof value === "string" && isoDateTime.test(value) ? new Date(value) : undefined;
  if (!expiresAt || Number.isNaN(expiresAt.getTime())) throw new UsageError("--expires must be an ISO date such as 2026-12-31 or 2026-12-31T23:59:59+08:00");
  if (expiresAt <= now) throw new UsageError(`--expires must be in the future (it is ${expiresAt.toISOString()})`);
  return expiresAt;
}

function statusOf(invite: InviteCode, now: Date): string {
  if (invite.disabled_at) return "disabled";
  if (invite.expires_at && invite.expires_at <= now) return "expired";
  if (invite.max_uses !== null && invite.uses >= invite.max_uses) return "exhausted";
  return "active";
}

/** The snake_case columns, plus the owner's email and a status an operator reads at a glance. */
function toRow(invite: InviteCode & { owner_email?: string | null }, now: Date): Row {
  return {
    id: invite.id,
    code: invite.code,
    status: statusOf(invite, now),
    uses: invite.uses,
    max_uses: invite.max_uses,
    expires_at: invite.expires_at,
    owner_user_id: invite.owner_user_id,
    owner_email: invite.owner_email ?? null,
    disabled_at: invite.disabled_at,
    created_at: invite.created_at,
  };
}

function refuseArguments(args: string[]): void {
  if (args.length > 0) throw new UsageError(`unexpected argument: ${args.join(" ")}`);
}

export const createInviteCommand: Command = {
  name: "invites create",
  usage: "invites create [--code CODE] [--max-uses N] [--expires ISO-DATE]",
  options: { code: "string", "max-uses": "string", expires: "string" },
  async run({ deps, args, options }) {
    refuseArguments(args);
    const now = deps.clock.now();
    const code = parseCode(options.code);
    const maxUses = parseMaxUses(options["max-uses"]);
    const expiresAt = parseExpiry(options.expires, now);
    const invite = await createOperatorInvite(deps.db, { code, maxUses, expiresAt }, now);
    const limits = [
      `max uses: ${invite.max_uses ?? "unlimited"}`,
      `expires: ${invite.expires_at ? invite.expires_at.toISOString() : "never"}`,
    ];
    return { text: `created invite code ${invite.code} (${limits.join(", ")})`, json: toRow(invite, now) };
  },
};

export const listInvitesCommand: Command = {
  name: "invites list",
  usage: "invites list [--all]   (--all: also every user's personal code)",
  options: { all: "boolean" },
  async run({ deps, args, options }) {
    refuseArguments(args);
    const now = deps.clock.now();
    const invites: InviteListing[] = await listInvites(deps.db, { includePersonal: options.all === true });
    const rows = invites.map((invite) => toRow(invite, now));
    const columns = ["code", "status", "uses", "max_uses", "expires_at", "owner_email", "created_at"];
    return { text: formatTable(rows, columns), json: rows };
  },
};

export const inviteCommands: Command[] = [createInviteCommand, listInvitesCommand];
