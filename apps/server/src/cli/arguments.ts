import { z } from "zod";
import { firstIssue } from "../lib/validate.js";
import type { CommandContext } from "./command.js";
import { UsageError } from "./output.js";

/** Shared parsing of operator arguments: every bad value is a UsageError naming the option. */

type Options = CommandContext["options"];

export function optionalString(options: Options, name: string): string | undefined {
  const value = options[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new UsageError(`--${name} needs a value`);
  return value;
}

export function requiredString(options: Options, name: string): string {
  const value = optionalString(options, name);
  if (value === undefined || value.trim() === "") throw new UsageError(`--${name} is required`);
  return value.trim();
}

/** A whole number in [min, max], written in decimal (no `1e3`, no `1.0`). */
export function parseInteger(value: string, label: string, range: { min: number; max: number }): number {
  const trimmed = value.trim();
  const parsed = /^[+-]?\d{1,16}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(parsed)) throw new UsageError(`${label} must be a whole number, got "${value}"`);
  if (parsed < range.min || parsed > range.max)
    throw new UsageError(`${label} must be between ${range.min} and ${range.max}, got ${parsed}`);
  return parsed;
}

/** Any whole number: the range is then the business of a schema shared with the service. */
export const anyInteger = { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER } as const;

/**
 * Checks an option with the schema that the service itself applies, so the CLI and the service
 * hold one rule and say the same thing about it.
 */
export function checkedOption<S extends z.ZodType>(schema: S, value: unknown, name: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new UsageError(`--${name}: ${firstIssue(result.error)}`);
  return result.data;
}

export function requiredInteger(options: Options, name: string, range: { min: number; max: number }): number {
  return parseInteger(requiredString(options, name), `--${name}`, range);
}

export function optionalInteger(options: Options, name: string, range: { min: number; max: number }): number | undefined {
  const value = optionalString(options, name);
  return value === undefined ? undefined : parseInteger(value, `--${name}`, range);
}

const ZInstant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/**
 * An ISO 8601 date (`2026-12-31`, meaning 00:00 UTC that day) or date-time with a zone
 * (`2026-12-31T23:59:59+08:00`). A time without a zone is refused: it would depend on the machine.
 */
export function optionalInstant(options: Options, name: string): Date | undefined {
  const value = optionalString(options, name)?.trim();
  if (value === undefined) return undefined;
  if (!ZInstant.safeParse(value).success) {
    throw new UsageError(`--${name} must be an ISO date (2026-12-31) or date-time with a zone (2026-12-31T23:59:59+08:00), got "${value}"`);
  }
  return new Date(value);
}

/** An optional `optionalInstant` that must still be ahead of `now` (an expiry). */
export function optionalFutureInstant(options: Options, name: string, now: Date): Date | undefined {
  const instant = optionalInstant(options, name);
  if (instant && instant.getTime() <= now.getTime()) throw new UsageError(`--${name} is in the past: ${instant.toISOString()}`);
  return instant;
}

export function onePositional(args: string[], what: string): string {
  const [value, ...extra] = args;
  if (value === undefined || value.trim() === "") throw new UsageError(`${what} is required`);
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(" ")}`);
  return value.trim();
}

export function noPositionals(args: string[]): void {
  if (args.length > 0) throw new UsageError(`unexpected arguments: ${args.join(" ")}`);
}
