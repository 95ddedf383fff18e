import { CommanderError } from "commander";
import { loadConfig } from "../config.js";
import { AppError } from "../errors/app-error.js";
import { systemClock } from "../lib/clock.js";
import { createLogger } from "../logger.js";
import { createGeneration } from "../tasks/create-generation.js";
import { resolveProviders } from "../providers/endpoints.js";
import { openRuntime } from "../runtime.js";
import { isStartupFailure } from "../startup-errors.js";
import { commands, type Command } from "./commands.js";
import { toJson, UsageError } from "./output.js";
import { buildProgram, commandNamedIn, programName, type Invocation } from "./program.js";

function usageOf(command: Command | undefined): string {
  return command
    ? `usage: ${programName} ${command.usage}`
    : `usage: ${programName} <command> [options] [--json]   (${programName} --help lists the commands)`;
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes("--json");
  const fail = (message: string, exitCode = 2) => {
    if (json) console.log(toJson({ error: message }));
    else console.error(message);
    return exitCode;
  };
  if (argv.length === 0) {
    console.error(buildProgram(commands, () => undefined).helpInformation());
    return 2;
  }

  let invocation: Invocation | undefined;
  try {
    buildProgram(commands, (found) => (invocation = found)).parse(argv, { from: "user" });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.exitCode === 0) return 0; // --help, or a group named alone: help was printed
    return fail(`${error.message.replace(/^error: /, "")}\n${usageOf(commandNamedIn(commands, argv))}`);
  }
  if (!invocation) return 0;
  const { command, args, options } = invocation;

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
    const result = await command.run({ deps, args, options, json });
    console.log(json ? toJson(result.json) : result.text);
    return result.exitCode ?? 0;
  } catch (error) {
    if (error instanceof UsageError) return fail(`${error.message}\n${usageOf(command)}`);
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
