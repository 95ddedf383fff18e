import { accountCalls } from "./accounts.js";
import { creationCalls } from "./creations.js";
import { createRest } from "./rest.js";
import { browserStorage, createSession } from "./session.js";
import { createTrpc } from "./trpc.js";
import type { FetchFunction, KeyValueStorage } from "./types.js";

export interface Ocean1ClientOptions {
  /** The server's root, e.g. `http://localhost:8000` (no `/api`). */
  baseUrl: string;
  /** Where the device id and the logged-in email live; default `window.localStorage` (none on the server). */
  storage?: KeyValueStorage | null;
  /** Default the global `fetch`. */
  fetch?: FetchFunction;
}

/**
 * A client with its own base URL, storage and fetch. The package's top-level functions are one
 * such client, configured from `NEXT_PUBLIC_API_BASE_URL` and the browser's localStorage.
 */
export function createOcean1Client(options: Ocean1ClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  const session = createSession(options.storage === undefined ? browserStorage : () => options.storage ?? null);
  const trpc = createTrpc(baseUrl, fetchFn, session);
  const rest = createRest(baseUrl, fetchFn, session);
  return {
    ...accountCalls(trpc, session),
    ...creationCalls(trpc, rest),
    /** The device id this client sends (`"server"` where there is no storage). */
    deviceId: (): string => session.deviceId(),
    /** The email of the login kept in storage, or null. */
    currentEmail: (): string | null => session.email(),
  };
}

export type Ocean1Client = ReturnType<typeof createOcean1Client>;
export { clientVersion } from "./accounts.js";
export type { CreateTaskOptions, WatchTaskOptions } from "./creations.js";
