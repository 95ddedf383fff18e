import type { z } from "zod";
import { AppError } from "../errors/app-error.js";

/** The first problem a schema found, in the schema's own words. */
export function firstIssue(error: z.ZodError): string {
  return error.issues[0]?.message ?? "invalid value";
}

/**
 * Parses `value` with `schema` or throws VALIDATION with the schema's own message. Services use it
 * for rules that the operator CLI checks with the very same schema (see cli/arguments.ts).
 */
export function validated<S extends z.ZodType>(schema: S, value: unknown, field?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new AppError("VALIDATION", firstIssue(result.error), field);
  return result.data;
}
