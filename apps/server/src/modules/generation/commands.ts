import { onePositional, noPositionals, optionalInteger, optionalString } from "../../cli/arguments.js";
import type { Command } from "../../cli/command.js";
import { taskStatuses, type TaskStatus } from "@ocean1/contract";
import { formatTable, UsageError } from "../../cli/output.js";
import { listTasksForOperator, showTask, type TaskDetails } from "./operator.js";

function parseStatus(value: string | undefined): TaskStatus | undefined {
  if (value === undefined) return undefined;
  const status = taskStatuses.find((candidate) => candidate === value.trim());
  if (!status) throw new UsageError(`--status must be one of ${taskStatuses.join(", ")}, got "${value}"`);
  return status;
}

export const tasksListCommand: Command = {
  name: "tasks list",
  usage: "tasks list [--status pending|processing|completed|failed] [--user EMAIL] [--limit N]   (newest first, 100 by default)",
  options: { status: "string", user: "string", limit: "string" },
  async run({ deps, args, options }) {
    noPositionals(args);
    const tasks = await listTasksForOperator(deps, {
      status: parseStatus(optionalString(options, "status")),
      email: optionalString(options, "user"),
      limit: optionalInteger(options, "limit", { min: 1, max: 100_000 }) ?? 100,
    });
    return { text: formatTable(tasks), json: tasks };
  },
};

function describeTask(task: TaskDetails): string {
  const { ledger, request, options, ...fields } = task;
  const width = Math.max(...Object.keys(fields).map((key) => key.length));
  const lines = Object.entries(fields).map(([key, value]) => {
    const shown = value instanceof Date ? value.toISOString() : value === null ? "" : String(value);
    return `${key.padEnd(width)}  ${shown}`.trimEnd();
  });
  return [
    ...lines,
    `${"options".padEnd(width)}  ${JSON.stringify(options)}`,
    `${"request".padEnd(width)}  ${JSON.stringify(request)}`,
    "",
    "ledger rows:",
    formatTable(ledger),
  ].join("\n");
}

export const tasksShowCommand: Command = {
  name: "tasks show",
  usage: "tasks show ID   (the task's upstream id, request, failure and the ledger rows that charged and refunded it)",
  options: {},
  async run({ deps, args }) {
    const task = await showTask(deps, onePositional(args, "ID"));
    return { text: describeTask(task), json: task };
  },
};

export const taskCommands: Command[] = [tasksListCommand, tasksShowCommand];
