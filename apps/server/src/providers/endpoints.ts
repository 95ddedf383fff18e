import type { Config } from "../config.js";

/** Where an upstream AI provider is reached. */
export interface ProviderEndpoint {
  /** GrsAI, Jimeng: the server's root, without a trailing `/` or `/v1`: paths such as `/v1/draw/result` are appended. */
  baseUrl: string;
  apiKey: string;
}

/**
 * The chat provider's endpoint, with the model every call names. Its `baseUrl` is an OpenAI-style
 * base that includes the version path (`https://api.openai.com/v1`): `/chat/completions` is appended.
 */
export type ChatEndpoint = ProviderEndpoint & { model: string };

/**
 * The upstream endpoints this instance may call, by name (a task provider's endpoint is named as
 * the provider: `grsai`, `jimeng`); an absent one is "not configured" (nothing charged, nothing sent).
 */
export interface Providers {
  readonly [name: string]: ProviderEndpoint | undefined;
  grsai?: ProviderEndpoint;
  jimeng?: ProviderEndpoint;
  chat?: ChatEndpoint;
}

/**
 * A GrsAI or Jimeng base URL as the server's root, to which their `/v1/...` paths are appended: a
 * trailing `/` or `/v1` is dropped, any other path is kept (a relay mounted under a prefix).
 * `https://grsai.example.com/v1/` → `https://grsai.example.com`; `https://host/grsai` stays.
 */
export function normaliseBaseUrl(url: string): string {
  return url.replace(/\/+$/, "").replace(/\/v1$/, "");
}

/**
 * A chat base URL as OpenAI-style clients read it: one with a path is used as given (the version
 * path is the provider's: `https://open.bigmodel.cn/api/paas/v4`), a bare host gets `/v1`.
 */
export function chatBaseUrl(url: string): string {
  const trimmed = url.replace(/\/+$/, "");
  return new URL(trimmed).pathname === "/" ? `${trimmed}/v1` : trimmed;
}

function endpoint(
  baseUrl: string | undefined,
  apiKey: string | undefined,
  simulatorUrl: string | undefined,
  normalise: (url: string) => string = normaliseBaseUrl,
): ProviderEndpoint | undefined {
  if (baseUrl && apiKey) return { baseUrl: normalise(baseUrl), apiKey };
  if (simulatorUrl) return { baseUrl: normalise(simulatorUrl), apiKey: "simulator" };
  return undefined;
}

/**
 * Each provider from its configured URL and key; with `OCEAN1_SIMULATOR=1` a provider that is not
 * configured talks to the built-in simulator at `simulatorUrl` (always over real HTTP).
 */
export function resolveProviders(config: Config, simulatorUrl?: string): Providers {
  const { grsai, jimeng, chat } = config.providers;
  const chatAt = endpoint(chat.baseUrl, chat.apiKey, simulatorUrl, chatBaseUrl);
  const chatEndpoint: ChatEndpoint | undefined = chatAt && { ...chatAt, model: chat.model };
  return {
    grsai: endpoint(grsai.baseUrl, grsai.apiKey, simulatorUrl),
    jimeng: endpoint(jimeng.baseUrl, jimeng.apiKey, simulatorUrl),
    chat: chatEndpoint,
  };
}
