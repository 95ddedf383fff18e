/** api.ts's fallback when `NEXT_PUBLIC_API_BASE_URL` is unset: the production API. */
export const defaultBaseUrl = "https://rangecomic.asia";

/**
 * The base URL the frontend configures. Written out as `process.env.NEXT_PUBLIC_API_BASE_URL` so
 * that Next.js inlines it at build time; guarded because a browser bundle has no `process`.
 */
export function baseUrlFromEnvironment(): string {
  const fromEnv = typeof process === "undefined" ? undefined : process.env.NEXT_PUBLIC_API_BASE_URL;
  return fromEnv || defaultBaseUrl;
}
