import { Command as Commander } from "commander";
import type { Command, CommandContext } from "./commands.js";

/** What the parsed command line asks for: a command with its arguments, or nothing more (help was printed). */
export interface Invocation {
  command: Command;
  args: string[];
  options: CommandContext["options"];
}

export const programName = "pnpm ocean1";

/**
 * The operator CLI's command tree, built with commander from the `Command` objects each domain
 * declares: `cards create` becomes the subcommand `create` of a group `cards`. A group named alone
 * prints its help. Commander's errors are thrown (exitOverride), never printed: cli/main.ts words them.
 */
export function buildProgram(commands: Command[], onInvoke: (invocation: Invocation) => void): Commander {
  const program = new Commander(programName)
    .usage("<command> [options] [--json]")
    .description("Ocean1 operator commands. --json prints the answer (or {error}) as JSON on stdout.")
    .option("--json", "print JSON")
    .exitOverride()
    .configureOutput({ outputError: () => undefined })
    .addHelpText(
      "after",
      `\nEvery command:\n${commands.map((command) => `  ${command.usage}`).join("\n")}\n\n${programName} <command> --help shows one command's options.`,
    );

  const groups = new Map<string, Commander>([["", program]]);
  const groupOf = (words: string[]): Commander => {
    const key = words.join(" ");
    const existing = groups.get(key);
    if (existing) return existing;
    const parent = groupOf(words.slice(0, -1));
    const group = parent
      .command(words[words.length - 1] ?? "")
      .description(`${key} commands`)
      .usage("<command> [options] [--json]")
      .option("--json", "print JSON")
      .argument("[command]")
      .action(function (this: Commander, word: string | undefined) {
        if (word !== undefined) this.error(`unknown command '${key} ${word}'`, { code: "commander.unknownCommand" });
        this.outputHelp();
      });
    groups.set(key, group);
    return group;
  };

  for (const command of commands) {
    const words = command.name.split(" ");
    // `usage` is "<words> <arguments>   (a note)": the arguments make commander's usage line, the note its description.
    const [synopsis = "", note = ""] = command.usage.slice(command.name.length).split(/ {3}/);
    const leaf = groupOf(words.slice(0, -1))
      .command(words[words.length - 1] ?? "")
      .description(note.trim().replace(/^\((.*)\)$/, "$1"))
      .usage(`${synopsis.trim()} [--json]`.trim())
      .argument("[arguments...]")
      .option("--json", "print JSON");
    for (const [name, type] of Object.entries(command.options)) leaf.option(type === "string" ? `--${name} <value>` : `--${name}`);
    leaf.action((args: string[], _options: unknown, self: Commander) => {
      // Options keep their written names (`max-uses`), as the commands read them.
      const options = Object.fromEntries(
        self.options.map((option) => [
          option.long?.slice(2) ?? "",
          self.getOptionValue(option.attributeName()) as string | boolean | undefined,
        ]),
      );
      onInvoke({ command, args, options });
    });
  }
  return program;
}

/** The command whose words begin argv, for a usage line after an error (the longest match wins). */
export function commandNamedIn(commands: Command[], argv: string[]): Command | undefined {
  const words = argv.filter((arg) => !arg.startsWith("-"));
  return commands
    .filter((command) => command.name.split(" ").every((part, i) => words[i] === part))
    .sort((a, b) => b.name.length - a.name.length)[0];
}
