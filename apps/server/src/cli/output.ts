/** Operator CLI output: aligned tables for people, JSON (snake_case keys) for scripts. */

export type Row = Record<string, unknown>;

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** East Asian wide characters (Chinese nicknames, descriptions) take two terminal columns. */
const wideCharacter =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{1F900}-\u{1F9FF}\u{20000}-\u{3FFFD}]/u;

export function displayWidth(text: string): number {
  let width = 0;
  for (const character of text) width += wideCharacter.test(character) ? 2 : 1;
  return width;
}

export function padToWidth(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - displayWidth(text)));
}

/** Generic so that rows typed as interfaces (which lack an index signature) are accepted. */
export function formatTable<T extends object = Row>(rows: readonly T[], columns?: (keyof T & string)[]): string {
  const keys: string[] = columns ?? Object.keys(rows[0] ?? {});
  if (rows.length === 0) return "(none)";
  const valueOf = (row: T, key: string) => (row as Row)[key];
  const widths = keys.map((key) => Math.max(displayWidth(key), ...rows.map((row) => displayWidth(cell(valueOf(row, key))))));
  const line = (values: string[]) =>
    values
      .map((v, i) => padToWidth(v, widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(keys), line(widths.map((w) => "-".repeat(w))), ...rows.map((row) => line(keys.map((key) => cell(valueOf(row, key)))))].join(
    "\n",
  );
}

export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Date ? v.toISOString() : v), 2);
}

export class UsageError extends Error {
  override name = "UsageError";
}
