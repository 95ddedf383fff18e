import { noPositionals, optionalFutureInstant, optionalInteger, optionalString } from "../../cli/arguments.js";
import type { Command } from "../../cli/command.js";
import { formatTable, UsageError, type Row } from "../../cli/output.js";
import type { InviteCode } from "../../db/schema.js";
import { inviteStatus, isAcceptableOperatorCode, normaliseInviteCode } from "./codes.js";
import type { InviteListing } from "./queries.js";
import { createOperatorInvite, listInvites } from "./service.js";

const maxInteger = 2_147_483_647;

function parseCode(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const code = normaliseInviteCode(value);
  if (!isAcceptableOperatorCode(code)) throw new UsageError("--code must be 4-64 characters: letters, digits, '-' or '_'");
  return code;
}

/** The snake_case columns, plus the owner's email and a status an operator reads at a glance. */
function toRow(invite: InviteCode & { owner_email?: string | null; owner_disabled_at?: Date | null }, now: Date): Row {
  return {
    id: invite.id,
    code: invite.code,
    status: inviteStatus(invite, now, invite.owner_disabled_at != null),
    uses: invite.uses,
    max_uses: invite.max_uses,
    expires_at: invite.expires_at,
    owner_user_id: invite.owner_user_id,
    owner_email: invite.owner_email ?? null,
    disabled_at: invite.disabled_at,
    created_at: invite.created_at,
  };
}

export const createInviteCommand: Command = {
  name: "invites create",
  usage: "invites create [--code CODE] [--max-uses N] [--expires ISO-DATE]",
  options: { code: "string", "max-uses": "string", expires: "string" },
  async run({ deps, args, options }) {
    noPositionals(args);
    const now = deps.clock.now();
    const code = parseCode(optionalString(options, "code"));
    const maxUses = optionalInteger(options, "max-uses", { min: 1, max: maxInteger });
    const expiresAt = optionalFutureInstant(options, "expires", now);
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
    noPositionals(args);
    const now = deps.clock.now();
    const invites: InviteListing[] = await listInvites(deps.db, { includePersonal: options.all === true });
    const rows = invites.map((invite) => toRow(invite, now));
    const columns = ["code", "status", "uses", "max_uses", "expires_at", "owner_email", "created_at"];
    return { text: formatTable(rows, columns), json: rows };
  },
};

export const inviteCommands: Command[] = [createInviteCommand, listInvitesCommand];
