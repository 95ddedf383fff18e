import { operations } from "@ocean1/contract";

const byRoute = new Map<string, string>(Object.values(operations).map((op) => [`${op.method} ${op.path.toLowerCase()}`, op.name]));

/**
 * The `operation` label of a request: the contract's operation name for a documented path, `trpc`
 * for the tRPC endpoint, and a fixed few others, so that the label's values stay a small set.
 */
export function operationOf(method: string, path: string): string {
  const name = byRoute.get(`${method} ${path.toLowerCase()}`);
  if (name) return name;
  if (path.startsWith("/trpc/") || path === "/trpc") return "trpc";
  if (path === "/healthz" || path === "/readyz" || path === "/metrics") return path.slice(1);
  return "other";
}
