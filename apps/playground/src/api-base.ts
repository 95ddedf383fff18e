import { configure } from "@ocean1/client";

/**
 * Where the API is: `?api=http://host:port` in the page's address, else `VITE_API_BASE_URL` at
 * build time, else the local server of `pnpm dev`. The frontend sets NEXT_PUBLIC_API_BASE_URL instead.
 */
export function configureApiBase(): string {
  const fromQuery = new URLSearchParams(window.location.search).get("api");
  const fromBuild = import.meta.env.VITE_API_BASE_URL as string | undefined;
  const baseUrl = fromQuery || fromBuild || "http://localhost:8000";
  configure({ baseUrl });
  return baseUrl;
}
