/** Operator CLI output: aligned tables for people, JSON (snake_case keys) for scripts. */

export type Row = Record<string, unknown>;

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

export function formatTable(rows: Row[], columns?: string[]): string {
  const keys = columns ?? Object.keys(rows[0] ?? {});
  if (rows.length === 0) return "(none)";
  const widths = keys.map((key) => Math.max(key.length, ...rows.map((row) => cell(row[key]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  return [line(keys), line(widths.map((w) => "-".repeat(w))), ...rows.map((row) => line(keys.map((key) => cell(row[key]))))].join("\n");
}

export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Date ? v.toISOString() : v), 2);
}

export class UsageError extends Error {
  override name = "UsageError";
}
