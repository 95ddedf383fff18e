/** Hostile values and bodies for the input sweep (reliability/hostile-input.test.ts), and a little JSON Schema. */
export interface JsonSchema {
  $ref?: string;
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  example?: unknown;
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

export interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      { parameters?: Array<{ name: string; schema: JsonSchema }>; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }
    >
  >;
  components?: { schemas?: Record<string, JsonSchema> };
}

function resolve(schema: JsonSchema, doc: OpenApiDocument): JsonSchema {
  if (!schema.$ref) return schema;
  return doc.components?.schemas?.[schema.$ref.replace("#/components/schemas/", "")] ?? {};
}

/** A plausible value of the schema: its example, else something of its type. */
export function exampleOf(raw: JsonSchema, doc: OpenApiDocument): unknown {
  const schema = resolve(raw, doc);
  if (schema.example !== undefined) return schema.example;
  if (schema.enum?.length) return schema.enum[0];
  const variant = schema.anyOf?.[0] ?? schema.oneOf?.[0];
  if (variant) return exampleOf(variant, doc);
  switch (schema.type) {
    case "integer":
    case "number":
      return schema.minimum ?? 1;
    case "boolean":
      return true;
    case "array":
      return schema.items && (schema.minItems ?? 0) > 0 ? [exampleOf(schema.items, doc)] : [];
    case "object":
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, property]) => [name, exampleOf(property, doc)]));
    default:
      return "测试".padEnd(Math.max(2, schema.minLength ?? 0), "x");
  }
}

/** Whether a string is acceptable to a string schema (type, length in UTF-16 units as zod counts, pattern). */
export function isValidString(schema: JsonSchema, value: string): boolean {
  if (schema.type !== "string") return false;
  if (schema.minLength !== undefined && value.length < schema.minLength) return false;
  if (schema.maxLength !== undefined && value.length > schema.maxLength) return false;
  if (schema.pattern && !new RegExp(schema.pattern, "u").test(value)) return false;
  return true;
}

/**
 * Whether a query string value is acceptable: an integer parameter takes a decimal in range. An empty value counts as
 * absent (finding reported to the lead: `?limit=` and `?before=` are answered as if not given, not VALIDATION).
 */
export function isValidQuery(schema: JsonSchema, value: string): boolean {
  if (value === "") return true;
  if (schema.type === "integer") {
    const n = Number(value);
    return /^\d+$/.test(value) && Number.isSafeInteger(n) && n >= (schema.minimum ?? -Infinity) && n <= (schema.maximum ?? Infinity);
  }
  return isValidString(schema, value);
}

const huge = "a".repeat(100_000);

export function hostileValues(): Array<[string, unknown]> {
  return [
    ["null", null],
    ["true", true],
    ["0", 0],
    ["-1", -1],
    ["2^53", 2 ** 53],
    ["1.5", 1.5],
    ["a number string", "12"],
    ["empty string", ""],
    ["array", ["x"]],
    ["object", { a: 1 }],
    ["100 KB", huge],
    ["lone surrogate", "\ud800x"],
    ["U+202E", "abc\u202edef"],
    ["zero-width", "a\u200b\u200cb\ufeff"],
    ["NUL", "a\u0000b"],
    ["emoji", "🐱‍👤🏳️‍🌈"],
    ["sql injection", "'; drop table users; --"],
    ["template", "{{7*7}}"],
    ["script", "<script>alert(1)</script>"],
    ["__proto__", "__proto__"],
    ["constructor", "constructor"],
    ["toString", "toString"],
  ];
}

function deep(levels: number): string {
  return `${"[".repeat(levels)}${"]".repeat(levels)}`;
}

/**
 * Whole bodies: not JSON, the wrong content types, oversized, deep, and hostile keys. The last element says whether the
 * body is acceptable (unknown keys such as `__proto__` are ignored, so the operation may then answer as usual).
 */
export function hostileBodies(base: Record<string, unknown>): Array<[string, string, string, boolean]> {
  const form = new URLSearchParams(Object.entries(base).map(([key, value]): [string, string] => [key, String(value)])).toString();
  return [
    ["empty", "", "application/json", false],
    ["null", "null", "application/json", false],
    ["an array", "[]", "application/json", false],
    ["a string", '"text"', "application/json", false],
    ["broken JSON", '{"email":', "application/json", false],
    ["as text/plain", JSON.stringify(base), "text/plain", false],
    ["form-urlencoded", form, "application/x-www-form-urlencoded", false],
    ["multipart", `--b\r\nContent-Disposition: form-data; name="email"\r\n\r\nx\r\n--b--\r\n`, "multipart/form-data; boundary=b", false],
    ["over 1 MB", JSON.stringify({ ...base, padding: "a".repeat(1_100_000) }), "application/json", false],
    ["5,000 levels deep", `{"a":${deep(5_000)}}`, "application/json", false],
    ["__proto__ key", JSON.stringify(base).replace(/^\{/, '{"__proto__":{"admin":true},'), "application/json", true],
    ["constructor key", JSON.stringify({ ...base, constructor: { prototype: { x: 1 } } }), "application/json", true],
  ];
}
