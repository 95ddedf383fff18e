import {
  anyInteger,
  checkedOption,
  noPositionals,
  onePositional,
  optionalInteger,
  requiredInteger,
  requiredString,
} from "../../cli/arguments.js";
import type { Command } from "../../cli/command.js";
import { formatTable } from "../../cli/output.js";
import { adjustPoints, ZAdjustAmount, ZAdjustReason } from "./adjust-points.js";
import { disableUser } from "./disable-user.js";
import { listUsers, showUser, type UserDetails } from "./operator.js";

export const usersListCommand: Command = {
  name: "users list",
  usage: "users list [--limit N]",
  options: { limit: "string" },
  async run({ deps, args, options }) {
    noPositionals(args);
    const users = await listUsers(deps, { limit: optionalInteger(options, "limit", { min: 1, max: 1_000_000 }) });
    return { text: formatTable(users), json: users };
  },
};

function describeUser(user: UserDetails): string {
  const { recent_ledger: ledger, ...fields } = user;
  const width = Math.max(...Object.keys(fields).map((key) => key.length));
  const lines = Object.entries(fields).map(([key, value]) => {
    const shown = value instanceof Date ? value.toISOString() : value === null ? "" : String(value);
    return `${key.padEnd(width)}  ${shown}`.trimEnd();
  });
  return [...lines, "", `recent ledger (newest first):`, formatTable(ledger)].join("\n");
}

export const usersShowCommand: Command = {
  name: "users show",
  usage: "users show EMAIL",
  options: {},
  async run({ deps, args }) {
    const user = await showUser(deps, onePositional(args, "EMAIL"));
    return { text: describeUser(user), json: user };
  },
};

export const usersAdjustPointsCommand: Command = {
  name: "users adjust-points",
  usage: "users adjust-points EMAIL --amount N --reason TEXT   (N may be negative: --amount -50; the balance never goes below 0)",
  options: { amount: "string", reason: "string" },
  async run({ deps, args, options }) {
    const email = onePositional(args, "EMAIL");
    const amount = checkedOption(ZAdjustAmount, requiredInteger(options, "amount", anyInteger), "amount");
    const reason = checkedOption(ZAdjustReason, requiredString(options, "reason"), "reason");
    const adjusted = await adjustPoints(deps, { email, amount, reason });
    const sign = adjusted.amount > 0 ? "+" : "";
    return {
      text: `${adjusted.email}: ${sign}${adjusted.amount} points, balance now ${adjusted.balance_after} (ledger row ${adjusted.ledger_id})`,
      json: adjusted,
    };
  },
};

export const usersDisableCommand: Command = {
  name: "users disable",
  usage: "users disable EMAIL   (ends the user's session; the user cannot log in again)",
  options: {},
  async run({ deps, args }) {
    const disabled = await disableUser(deps, onePositional(args, "EMAIL"));
    const when = disabled.disabled_at.toISOString();
    const text = disabled.already_disabled
      ? `${disabled.email} was already disabled at ${when}; any session is ended`
      : `${disabled.email} disabled at ${when}; its session is ended`;
    return { text, json: disabled };
  },
};

export const userCommands: Command[] = [usersListCommand, usersShowCommand, usersAdjustPointsCommand, usersDisableCommand];
