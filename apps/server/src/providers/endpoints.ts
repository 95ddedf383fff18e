import type { Config } from "../config.js";

/** Where an upstream AI provider is reached. */
export interface ProviderEndpoint {
  /** The server's root, without a trailing `/` or `/v1`: paths such as `/v1/draw/result` are appended. */
  baseUrl: string;
  apiKey: string;
}

/** The chat provider's endpoint, with the model every call names. */
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

/** `https://api.example.com/v1/` → `https://api.example.com` (DESIGN §6: a trailing `/v1` is tolerated). */
export function normaliseBaseUrl(url: string): string {
  return url.replace(/\/+$/, "").replace(/\/v1$/, "");
}

function endpoint(baseUrl: string | undefined, apiKey: string | undefined, simulatorUrl: string | undefined): ProviderEndpoint | undefined {
  if (baseUrl && apiKey) return { baseUrl: normaliseBaseUrl(baseUrl), apiKey };
  if (simulatorUrl) return { baseUrl: normaliseBaseUrl(simulatorUrl), apiKey: "simulator" };
  return undefined;
}

/**
 * Each provider from its configured URL and key; with `OCEAN1_SIMULATOR=1` a provider that is not
 * configured talks to the built-in simulator at `simulatorUrl` (always over real HTTP).
 */
export function resolveProviders(config: Config, simulatorUrl?: string): Providers {
  const { grsai, jimeng, chat } = config.providers;
  const chatAt = endpoint(chat.baseUrl, chat.apiKey, simulatorUrl);
  const chatEndpoint: ChatEndpoint | undefined = chatAt && { ...chatAt, model: chat.model };
  return {
    grsai: endpoint(grsai.baseUrl, grsai.apiKey, simulatorUrl),
    jimeng: endpoint(jimeng.baseUrl, jimeng.apiKey, simulatorUrl),
    chat: chatEndpoint,
  };
}
