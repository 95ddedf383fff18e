/**
 * What an upstream's HTTP status says, the same for every provider (generation and chat):
 * - `ok`: 2xx, the body is the answer;
 * - `account`: 401, 402 and 403, or a 429 that names an exhausted quota (OpenAI answers both with
 *   429): our key or our account, which only the operator can fix;
 * - `rate_limited`: any other 429, a passing fault;
 * - `unavailable`: 5xx, a passing fault;
 * - `refused`: any other status: the upstream did not take our request as we sent it.
 */
export type StatusClass = "ok" | "account" | "rate_limited" | "unavailable" | "refused";

export function classifyStatus(status: number, body = ""): StatusClass {
  if (status >= 200 && status <= 299) return "ok";
  if (status === 401 || status === 402 || status === 403) return "account";
  if (status === 429) return /insufficient_quota|quota/i.test(body) ? "account" : "rate_limited";
  if (status >= 500) return "unavailable";
  return "refused";
}
