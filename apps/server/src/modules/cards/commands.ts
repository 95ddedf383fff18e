import {
  anyInteger,
  checkedOption,
  noPositionals,
  onePositional,
  optionalFutureInstant,
  optionalString,
  requiredInteger,
} from "../../cli/arguments.js";
import type { Command, CommandContext } from "../../cli/command.js";
import { formatTable } from "../../cli/output.js";
import { createCardKeys, disableCardKey, listCards, ZCardBatch, ZCardCount, ZCardPoints, type CardKeyReference } from "./manage.js";

function optionalBatch(options: CommandContext["options"]): string | null {
  const batch = optionalString(options, "batch");
  return batch === undefined ? null : checkedOption(ZCardBatch, batch, "batch");
}

export const cardsCreateCommand: Command = {
  name: "cards create",
  usage: "cards create --points N --count M [--expires ISO-DATE] [--batch LABEL]   (prints each new key once)",
  options: { points: "string", count: "string", expires: "string", batch: "string" },
  async run({ deps, args, options }) {
    noPositionals(args);
    const points = checkedOption(ZCardPoints, requiredInteger(options, "points", anyInteger), "points");
    const count = checkedOption(ZCardCount, requiredInteger(options, "count", anyInteger), "count");
    const expiresAt = optionalFutureInstant(options, "expires", deps.clock.now()) ?? null;
    const batch = optionalBatch(options);
    const created = await createCardKeys(deps, { points, count, expiresAt, batch });
    const notice = `${created.length} card key(s) created. They are shown only now (the database keeps only their hashes): store them safely.`;
    return { text: `${formatTable(created, ["id", "card_key", "points", "batch", "expires_at"])}\n\n${notice}`, json: created };
  },
};

export const cardsListCommand: Command = {
  name: "cards list",
  usage: "cards list [--batch LABEL]   (never shows keys: only their hashes are stored)",
  options: { batch: "string" },
  async run({ deps, args, options }) {
    noPositionals(args);
    const cards = await listCards(deps, { batch: optionalBatch(options) ?? undefined });
    return { text: formatTable(cards), json: cards };
  },
};

/** A card id is at most 10 digits; a key is 12 symbols, so the two never collide. */
function parseCardReference(value: string): CardKeyReference {
  if (/^\d{1,10}$/.test(value)) return { id: Number(value) };
  return { key: value };
}

export const cardsDisableCommand: Command = {
  name: "cards disable",
  usage: "cards disable KEY|ID   (the key XXXX-XXXX-XXXX, or the numeric id shown by `cards list`, e.g. `cards disable 17`)",
  options: {},
  async run({ deps, args }) {
    const reference = parseCardReference(onePositional(args, "KEY or ID"));
    const { card, alreadyDisabled } = await disableCardKey(deps, reference);
    const result = {
      id: card.id,
      points: card.points,
      batch: card.batch,
      disabled_at: card.disabled_at,
      already_disabled: alreadyDisabled,
    };
    const when = card.disabled_at?.toISOString() ?? "";
    const text = alreadyDisabled ? `card key ${card.id} was already disabled at ${when}` : `card key ${card.id} disabled at ${when}`;
    return { text, json: result };
  },
};

export const cardCommands: Command[] = [cardsCreateCommand, cardsListCommand, cardsDisableCommand];
