import { migrateToLatest } from "../db/migrate.js";
import { cardCommands } from "../modules/cards/commands.js";
import { taskCommands } from "../modules/generation/commands.js";
import { inviteCommands } from "../modules/invites/commands.js";
import { ledgerCommands } from "../modules/points/commands.js";
import { userCommands } from "../modules/user/commands.js";
import type { Command } from "./command.js";

export type { Command, CommandContext } from "./command.js";

export const migrateCommand: Command = {
  name: "migrate",
  usage: "migrate",
  options: {},
  async run({ deps }) {
    const applied = await migrateToLatest(deps.db);
    return { text: applied.length ? `applied: ${applied.join(", ")}` : "database is up to date", json: { applied } };
  },
};

/** Every operator command; each domain adds its own. */
export const commands: Command[] = [
  migrateCommand,
  ...cardCommands,
  ...userCommands,
  ...ledgerCommands,
  ...inviteCommands,
  ...taskCommands,
];
