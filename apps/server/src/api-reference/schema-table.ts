/** A JSON Schema (as zod writes it) as rows of a Markdown table: one row per field, nested fields as `a.b` and `list[].c`. */

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  description?: string;
  example?: unknown;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
}

export interface FieldRow {
  field: string;
  type: string;
  required: boolean;
  notes: string;
}

const safeLimit = Number.MAX_SAFE_INTEGER;

function resolve(schema: JsonSchema, defs: Record<string, JsonSchema>): JsonSchema {
  const name = schema.$ref?.replace("#/$defs/", "");
  return name && defs[name] ? resolve(defs[name], defs) : schema;
}

function typeOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.enum) return schema.enum.map((value) => `\`${JSON.stringify(value)}\``).join(" \\| ");
  const type = Array.isArray(schema.type) ? schema.type.join(" \\| ") : (schema.type ?? "any");
  return schema.format ? `${type} (${schema.format})` : type;
}

function notesOf(schema: JsonSchema): string {
  const notes: string[] = [];
  if (schema.minLength !== undefined || schema.maxLength !== undefined)
    notes.push(`length ${schema.minLength ?? 0}–${schema.maxLength ?? "∞"}`);
  const min = schema.minimum !== undefined && Math.abs(schema.minimum) < safeLimit ? schema.minimum : undefined;
  const max = schema.maximum !== undefined && Math.abs(schema.maximum) < safeLimit ? schema.maximum : undefined;
  if (min !== undefined || max !== undefined) notes.push(`${min ?? "−∞"}–${max ?? "∞"}`);
  if (schema.description) notes.push(schema.description);
  if (schema.example !== undefined) notes.push(`e.g. \`${JSON.stringify(schema.example)}\``);
  return notes.join("; ");
}

function collect(schema: JsonSchema, defs: Record<string, JsonSchema>, prefix: string, required: boolean, rows: FieldRow[]): void {
  const resolved = resolve(schema, defs);
  if (resolved.type === "object" && resolved.properties) {
    if (prefix) rows.push({ field: prefix, type: "object", required, notes: notesOf(resolved) });
    for (const [name, property] of Object.entries(resolved.properties)) {
      collect(property, defs, prefix ? `${prefix}.${name}` : name, resolved.required?.includes(name) ?? false, rows);
    }
    return;
  }
  if (resolved.type === "array" && resolved.items) {
    rows.push({ field: prefix, type: "array", required, notes: notesOf(resolved) });
    collect(resolved.items, defs, `${prefix}[]`, true, rows);
    return;
  }
  rows.push({ field: prefix, type: typeOf(resolved), required, notes: notesOf(resolved) });
}

/** The alternatives of a schema (an answer that is one of several shapes), each as its own table rows. */
export function fieldTables(schema: JsonSchema): FieldRow[][] {
  const defs = schema.$defs ?? {};
  const root = resolve(schema, defs);
  const variants = root.oneOf ?? root.anyOf ?? [root];
  return variants.map((variant) => {
    const rows: FieldRow[] = [];
    collect(variant, defs, "", true, rows);
    return rows;
  });
}

export function markdownTable(rows: FieldRow[]): string {
  if (rows.length === 0) return "(no fields)";
  const escape = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");
  const lines = rows.map((row) => `| \`${row.field}\` | ${row.type} | ${row.required ? "yes" : "no"} | ${escape(row.notes)} |`);
  return ["| field | type | required | notes |", "|---|---|---|---|", ...lines].join("\n");
}
