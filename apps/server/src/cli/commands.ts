import type { AppDeps } from "../deps.js";
import { migrateToLatest } from "../db/migrate.js";
import { cardCommands } from "../modules/cards/commands.js";
import { taskCommands } from "../modules/generation/commands.js";
import { inviteCommands } from "../modules/invites/commands.js";
import { ledgerCommands } from "../modules/points/commands.js";
import { userCommands } from "../modules/user/commands.js";

export interface CommandContext {
  deps: AppDeps;
  /** Positional arguments after the command words. */
  args: string[];
  options: Record<string, string | boolean | undefined>;
  json: boolean;
}

export interface Command {
  /** The command words, e.g. `cards create`. */
  name: string;
  usage: string;
  /** Option names this command takes (besides --json); `true` for a flag without a value. */
  options: Record<string, "string" | "boolean">;
  /** Returns what to print: text for people, or a value printed as JSON with --json. */
  run(ctx: CommandContext): Promise<{ text: string; json: unknown; exitCode?: number }>;
}

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
