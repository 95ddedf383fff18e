import type { NextFunction, Request, Response } from "express";

/** No operation nests deeper than a few levels; a deeper document is refused before any recursive code sees it. */
export const maxJsonDepth = 32;

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Whether raw JSON text nests deeper than `maxJsonDepth`, in one pass without recursion. */
export function nestsTooDeep(text: Buffer | string): boolean {
  const bytes = typeof text === "string" ? Buffer.from(text) : text;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (++depth > maxJsonDepth) return true;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) depth--;
  }
  return false;
}

export class JsonTooDeepError extends Error {
  override name = "JsonTooDeepError";
  readonly type = "entity.too.deep";
  readonly status = 400;
  readonly expose = true;
  constructor() {
    super(`JSON nested deeper than ${maxJsonDepth} levels`);
  }
}

/** For `express.json({ verify })`: the body is refused as malformed before it is parsed. */
export function verifyJsonDepth(_req: unknown, _res: unknown, body: Buffer): void {
  if (nestsTooDeep(body)) throw new JsonTooDeepError();
}

/** tRPC reads a query's input from `?input=`: the same limit applies there. */
export function refuseDeepQueryInput(req: Request, _res: Response, next: NextFunction): void {
  const input = req.query.input;
  if (typeof input === "string" && nestsTooDeep(input)) return next(new JsonTooDeepError());
  next();
}
