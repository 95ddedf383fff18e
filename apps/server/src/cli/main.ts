import { parseArgs } from "node:util";
import { loadConfig } from "../config.js";
import { AppError } from "../errors/app-error.js";
import { systemClock } from "../lib/clock.js";
import { createLogger } from "../logger.js";
import { createGeneration } from "../modules/generation/generation.js";
import { resolveProviders } from "../providers.js";
import { openRuntime } from "../runtime.js";
import { isStartupFailure } from "../startup-errors.js";
import { commands, type Command, type CommandContext } from "./commands.js";
import { toJson, UsageError } from "./output.js";

function findCommand(words: string[]): { command: Command; rest: string[] } | undefined {
  const matches = commands
    .map((command) => ({ command, parts: command.name.split(" ") }))
    .filter(({ parts }) => parts.every((part, i) => words[i] === part))
    .sort((a, b) => b.parts.length - a.parts.length);
  const best = matches[0];
  return best ? { command: best.command, rest: words.slice(best.parts.length) } : undefined;
}

/**
 * `--amount -50`: parseArgs refuses a value that starts with a dash as ambiguous, but a negative
 * number after an option that takes a value can only be that value, so it is joined as `--amount=-50`.
 */
function joinNegativeNumbers(argv: string[], options: Command["options"]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const next = argv[i + 1];
    const takesValue = arg.startsWith("--") && options[arg.slice(2)] === "string";
    if (takesValue && next !== undefined && /^-\d+(\.\d+)?$/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else joined.push(arg);
  }
  return joined;
}

function help(): string {
  return ["usage: pnpm ocean1 <command> [--json]", "", ...commands.map((c) => `  ${c.usage}`)].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes("--json");
  const fail = (message: string, exitCode = 2) => {
    if (json) console.log(toJson({ error: message }));
    else console.error(message);
    return exitCode;
  };
  if (argv.length === 0 || argv[0] === "help" || argv[0] === "--help") {
    console.log(help());
    return argv.length === 0 ? 2 : 0;
  }
  const words = argv.filter((a) => !a.startsWith("--"));
  const found = findCommand(words);
  if (!found) return fail(`unknown command: ${words.join(" ") || argv.join(" ")}\n\n${help()}`);
  const { command } = found;

  let parsed: ReturnType<typeof parseArgs>;
  try {
    const options = Object.fromEntries(Object.entries(command.options).map(([name, type]) => [name, { type }]));
    parsed = parseArgs({ args: joinNegativeNumbers(argv, command.options), options: { ...options, json: { type: "boolean" } }, allowPositionals: true, strict: true });
  } catch (error) {
    return fail(`${(error as Error).message}\nusage: pnpm ocean1 ${command.usage}`);
  }
  const args = parsed.positionals.slice(command.name.split(" ").length);

  let config;
  let runtime;
  let logger;
  try {
    config = loadConfig();
    // Logs go to stderr, errors only unless LOG_LEVEL asks for more: stdout carries only the answer.
    logger = createLogger(["debug", "trace"].includes(config.logLevel) ? config.logLevel : "error", process.stderr);
    runtime = await openRuntime(config, logger);
  } catch (error) {
    // The same line and exit code as the server's start-up.
    if (isStartupFailure(error)) return fail(error.message, 1);
    throw error;
  }
  try {
    const core = { ...runtime, config, logger, clock: systemClock, providers: resolveProviders(config) };
    const deps = { ...core, generation: createGeneration(core) };
    const result = await command.run({ deps, args, options: parsed.values as CommandContext["options"], json });
    console.log(json ? toJson(result.json) : result.text);
    return result.exitCode ?? 0;
  } catch (error) {
    if (error instanceof UsageError) return fail(`${error.message}\nusage: pnpm ocean1 ${command.usage}`);
    if (error instanceof AppError) return fail(error.userMessage, 1);
    return fail(`error: ${(error as Error).message}`, 1);
  } finally {
    await runtime.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
