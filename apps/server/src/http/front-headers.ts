import type { IncomingHttpHeaders } from "node:http";
import type { NextFunction, Request, Response } from "express";

type Middleware = (req: Request, res: Response, next: NextFunction) => void;

/** A response that only records the headers a middleware sets: enough for helmet's and cors's. */
class HeaderRecorder {
  readonly headers = new Map<string, { name: string; value: string }>();
  statusCode = 200;
  getHeader(name: string): string | undefined {
    return this.headers.get(name.toLowerCase())?.value;
  }
  setHeader(name: string, value: string | number | readonly string[]): this {
    this.headers.set(name.toLowerCase(), { name, value: Array.isArray(value) ? value.join(", ") : String(value) });
    return this;
  }
  removeHeader(name: string): void {
    this.headers.delete(name.toLowerCase());
  }
  /** `[name, value, name, value, …]`, the form `writeHead` takes without building a headers object. */
  flat(): string[] {
    return [...this.headers.values()].flatMap(({ name, value }) => [name, value]);
  }
}

/** At most this many distinct `Origin` values are remembered; any other is answered by running the middleware again. */
const maxRemembered = 64;

/**
 * The headers that the front middleware (helmet's security headers, CORS) puts on the answer to an
 * ordinary (not preflight) request, by running the very middleware once per distinct `Origin` and
 * remembering what it set: they depend on nothing else of the request. The fast REST path writes
 * them in one `writeHead`, instead of a dozen `setHeader` calls through two middleware chains.
 */
export function frontHeaders(middleware: Middleware[]): (method: string, origin: string | undefined) => string[] {
  const run = (method: string, origin: string | undefined): string[] => {
    const headers: IncomingHttpHeaders = origin === undefined ? {} : { origin };
    const req = { method, headers, url: "/", get: (name: string) => headers[name.toLowerCase()] } as unknown as Request;
    const res = new HeaderRecorder();
    for (const step of middleware) {
      let passed = false;
      step(req, res as unknown as Response, (error?: unknown) => {
        if (error) throw error instanceof Error ? error : new Error(String(error));
        passed = true;
      });
      // Every middleware here answers synchronously; one that did not pass on cannot be replayed.
      if (!passed) throw new Error("a front middleware did not pass the request on synchronously");
    }
    return res.flat();
  };
  const remembered = new Map<string, string[]>();
  return (method, origin) => {
    const key = `${method} ${origin ?? ""}`;
    const known = remembered.get(key);
    if (known) return known;
    const headers = run(method, origin);
    if (remembered.size < maxRemembered) remembered.set(key, headers);
    return headers;
  };
}
