import type { LoadResult } from "./load-spec.js";

export interface Row {
  name: string;
  result: LoadResult;
  /** Outcomes that count as right for this scenario (e.g. "200 ok"); anything else is an error. */
  expected: string[];
  /** CPU µs per request of the server process and of PostgreSQL, measured over the scenario. */
  serverCpuUs?: number;
  databaseCpuUs?: number;
}

export function errorsOf(row: Row): number {
  const wrong = Object.entries(row.result.outcomes)
    .filter(([outcome]) => !row.expected.includes(outcome))
    .reduce((sum, [, n]) => sum + n, 0);
  return wrong + row.result.errors + row.result.timeouts;
}

const us = (n: number | undefined) => (n === undefined ? "" : n.toFixed(0));
const fixed = (n: number, digits = 0) => n.toFixed(digits);

/** A Markdown table: req/s and p99 of each scenario, and both as ratios to the bare server. */
export function table(rows: Row[], bare: LoadResult | undefined): string {
  const lines = [
    "| scenario | req/s | × bare | p50 ms | p99 ms | p99 ÷ bare's | server CPU µs/req | PostgreSQL CPU µs/req | errors | outcomes |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
  ];
  for (const row of rows) {
    const { result } = row;
    const ratio = bare ? fixed(result.perSecond / bare.perSecond, 2) : "";
    const p99 = bare && bare.p99 > 0 ? fixed(result.p99 / bare.p99, 1) : "";
    const outcomes = Object.entries(result.outcomes)
      .map(([k, n]) => `${k} ×${n}`)
      .join(", ");
    lines.push(
      `| ${row.name} | ${fixed(result.perSecond)} | ${ratio} | ${result.p50} | ${result.p99} | ${p99} | ${us(row.serverCpuUs)} | ${us(row.databaseCpuUs)} | ${errorsOf(row)} | ${outcomes} |`,
    );
  }
  return lines.join("\n");
}
