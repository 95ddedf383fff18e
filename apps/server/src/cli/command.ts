import type { AppDeps } from "../deps.js";

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
