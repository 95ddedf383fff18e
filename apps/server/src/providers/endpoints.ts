import type { Config } from "../config.js";

/** Where an upstream AI provider is reached. */
export interface ProviderEndpoint {
  /** The server's root, without a trailing `/` or `/v1`: paths such as `/v1/draw/result` are appended. */
  baseUrl: string;
  apiKey: string;
}

/** The upstream providers this instance may call; an absent one is "not configured" (nothing charged, nothing sent). */
export interface Providers {
  grsai?: ProviderEndpoint;
  jimeng?: ProviderEndpoint;
  chat?: ProviderEndpoint & { model: string };
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
  const chatEndpoint = endpoint(chat.baseUrl, chat.apiKey, simulatorUrl);
  return {
    grsai: endpoint(grsai.baseUrl, grsai.apiKey, simulatorUrl),
    jimeng: endpoint(jimeng.baseUrl, jimeng.apiKey, simulatorUrl),
    chat: chatEndpoint && { ...chatEndpoint, model: chat.model },
  };
}
