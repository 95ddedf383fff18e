import type { Command } from "../cli/commands.js";
import type { AppDeps } from "../deps.js";

export interface CommandInput {
  args?: string[];
  options?: Record<string, string | boolean | undefined>;
  json?: boolean;
}

/** Runs a command object the way cli/main.ts does, after argument parsing, on the given deps. */
export function runCommand(command: Command, deps: AppDeps, { args = [], options = {}, json = false }: CommandInput = {}) {
  return command.run({ deps, args, options, json });
}
