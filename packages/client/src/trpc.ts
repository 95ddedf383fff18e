import { authHeaders as sessionHeaders } from "@ocean1/contract";
import type { AppRouter } from "@ocean1/server";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { httpError, networkError, Ocean1RequestError } from "./errors.js";
import type { Session } from "./session.js";
import type { Failure, FetchFunction } from "./types.js";

/** The headers of api.ts: `Content-Type: application/json` always, the device id, the email once logged in. */
export function authHeaders(session: Session, contentType: boolean): Record<string, string> {
  const headers: Record<string, string> = contentType ? { "content-type": "application/json" } : {};
  headers[sessionHeaders.deviceId] = session.deviceId();
  const email = session.email();
  if (email) headers[sessionHeaders.email] = email;
  return headers;
}

/** One link, no batching: every call is its own request with its own timeout. */
export function createTrpc(baseUrl: string, fetchFn: FetchFunction, session: Session) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${baseUrl}/trpc`,
        fetch: async (input, init) => {
          const response = await fetchFn(input, init);
          // tRPC answers its errors as JSON; anything else (a proxy's error page) is no answer.
          if (!response.ok && !response.headers.get("content-type")?.includes("application/json")) throw httpError(response.status);
          return response;
        },
        headers: () => authHeaders(session, true),
      }),
    ],
  });
}

export type Trpc = ReturnType<typeof createTrpc>;

/**
 * A handled failure arrives as a TRPCClientError whose `data.failure` is the REST failure body
 * (the server's errorFormatter): it becomes the returned value. Anything else is no answer: thrown.
 */
export function failureOf(error: unknown): Failure {
  if (error instanceof TRPCClientError) {
    if (error.cause instanceof Ocean1RequestError) throw error.cause;
    const data = (error as TRPCClientError<AppRouter>).data;
    if (data?.failure) return data.failure;
    const response: unknown = error.meta?.response;
    if (response instanceof Response && !response.ok) throw httpError(response.status);
  }
  throw networkError(error);
}

/** Calls a procedure; a handled failure is returned, not thrown. */
export async function answerOf<T>(call: Promise<T>): Promise<T | Failure> {
  try {
    return await call;
  } catch (error) {
    return failureOf(error);
  }
}
