import { readFileSync } from "node:fs";
import { taskKinds } from "@ocean1/contract";
import { jimengAccepts } from "../../providers/jimeng/options.js";
import { defaultCatalog, upstreamIgnores } from "./catalog-default.js";
import { ZCatalog, type Catalog } from "./catalog-schema.js";

export type { Catalog, CatalogInput, CatalogModel } from "./catalog-schema.js";

/**
 * A catalogue entry by name, among the record's own keys only: a name that comes from a request
 * (`toString`, `__proto__`, `constructor`...) must never reach `Object.prototype`.
 */
export function ownEntry<T>(record: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

export class CatalogError extends Error {
  override name = "CatalogError";
}

/** Defaults must name a model / value that exists: a typo there would refuse every request. */
function checkDefaults(catalog: Catalog): string[] {
  const problems: string[] = [];
  for (const kind of taskKinds) {
    const section = catalog[kind];
    if (section.default !== undefined && !ownEntry(section.models, section.default))
      problems.push(`${kind}.default: no model named "${section.default}"`);
    for (const [name, model] of Object.entries(section.models)) {
      for (const [option, spec] of Object.entries(model.options)) {
        if (spec.default !== undefined && !ownEntry(spec.values, spec.default)) {
          problems.push(`${kind}.models.${name}.options.${option}.default: "${spec.default}" is not one of its values`);
        }
        if (spec.honoured === false && spec.default === undefined)
          problems.push(
            `${kind}.models.${name}.options.${option}: an option its upstream ignores (honoured: false) needs the default it is made as`,
          );
      }
    }
  }
  return problems;
}

/**
 * An option that says nothing of `honoured`, on a model whose upstream is known to ignore it
 * (`upstreamIgnores`), is read as `honoured: false`: charged as its default, not as what its values
 * price (without a default, as its cheapest value). Each such reading is a warning for the operator (a
 * catalogue from before this was known).
 */
function applyKnownIgnores(catalog: Catalog, warnings: string[]): void {
  for (const kind of taskKinds) {
    for (const [name, model] of Object.entries(catalog[kind].models)) {
      for (const option of ownEntry(upstreamIgnores[kind] ?? {}, model.upstream) ?? []) {
        const spec = ownEntry(model.options, option);
        if (!spec || spec.honoured !== undefined) continue;
        spec.honoured = false;
        // Without a default, the cheapest value is what every request is made and charged as.
        spec.default ??= Object.entries(spec.values).reduce((a, b) => (b[1].points < a[1].points ? b : a))[0];
        warnings.push(
          `${kind}.models.${name}.options.${option}: upstream "${model.upstream}" ignores ${option}; ` +
            `every request is made and charged as "${spec.default}" (say honoured: false to silence this)`,
        );
      }
    }
  }
}

/**
 * A Jimeng entry whose upstream value jimeng-api would refuse (`providers/jimeng/options.ts`): it loads,
 * since jimeng-api may have learnt it, but every such request would be charged and then refused.
 */
function checkJimengOptions(catalog: Catalog, warnings: string[]): void {
  for (const kind of ["jimeng_image", "jimeng_video"] as const) {
    for (const [name, model] of Object.entries(catalog[kind].models)) {
      if (jimengAccepts(kind, model.upstream, "ratio") === undefined) {
        warnings.push(`${kind}.models.${name}: jimeng-api does not know the model "${model.upstream}"`);
        continue;
      }
      for (const [option, spec] of Object.entries(model.options)) {
        const accepted = jimengAccepts(kind, model.upstream, option) ?? [];
        for (const [key, value] of Object.entries(spec.values)) {
          if (!accepted.includes(value.upstream))
            warnings.push(`${kind}.models.${name}.options.${option}.values.${key}: jimeng-api refuses ${option} ${String(value.upstream)}`);
        }
      }
    }
  }
}

/**
 * Validates a catalogue; every problem names its entry (`banana.models.banana-v1.options.imageSize…`).
 * What loads but deserves the operator's eye is pushed onto `warnings`.
 */
export function parseCatalog(input: unknown, warnings: string[] = []): Catalog {
  const parsed = ZCatalog.safeParse(input);
  if (parsed.success) {
    applyKnownIgnores(parsed.data, warnings);
    checkJimengOptions(parsed.data, warnings);
  }
  const problems = parsed.success
    ? checkDefaults(parsed.data)
    : parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
  if (problems.length > 0 || !parsed.success) throw new CatalogError(problems.join("\n"));
  return parsed.data;
}

/** The built-in catalogue, or the JSON file at `path` (MODEL_CATALOG) that replaces it; its warnings onto `warnings`. */
export function loadCatalog(path: string | undefined, warnings: string[] = []): Catalog {
  if (!path) return parseCatalog(defaultCatalog, warnings);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CatalogError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CatalogError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseCatalog(json, warnings);
}
