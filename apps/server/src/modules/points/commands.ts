import { noPositionals } from "../../cli/arguments.js";
import type { Command } from "../../cli/command.js";
import { formatTable } from "../../cli/output.js";
import { checkLedger } from "./ledger-check.js";

export const ledgerCheckCommand: Command = {
  name: "ledger check",
  usage:
    "ledger check   (exit 0 when every balance matches its ledger and every failed task was refunded exactly once; otherwise exit 1 and name each offending user)",
  options: {},
  async run({ deps, args }) {
    noPositionals(args);
    const report = await checkLedger(deps.db);
    const text = report.ok
      ? `ledger OK: ${report.users_checked} user(s) checked`
      : `ledger check FAILED: ${report.offenders.length} of ${report.users_checked} user(s) break the invariant\n\n${formatTable(report.offenders)}`;
    return { text, json: report, exitCode: report.ok ? 0 : 1 };
  },
};

export const ledgerCommands: Command[] = [ledgerCheckCommand];
