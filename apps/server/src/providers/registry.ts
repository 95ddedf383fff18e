import type { TaskKind } from "@ocean1/contract";
import type { ProviderEndpoint, Providers } from "./endpoints.js";
import { grsaiProvider } from "./grsai/provider.js";
import { jimengProvider } from "./jimeng/provider.js";
import { openAiChat } from "./openai-chat/provider.js";
import type { ChatProvider, TaskProvider } from "./provider.js";

/** Every task provider this server knows, in order of preference for a kind: adding a provider is one line here. */
export const taskProviders: readonly TaskProvider[] = [grsaiProvider, jimengProvider];

/** The cat's chat model, at the `chat` endpoint. */
export const chatProvider: ChatProvider = openAiChat;

/** Where a task of some kind goes: its provider, and the configured endpoint (by name) that will take it. */
export interface TaskRoute {
  provider: TaskProvider;
  /** The endpoint's name in `Providers` (today the provider's own name); recorded on the task. */
  endpointName: string;
  endpoint: ProviderEndpoint;
}

export class ProviderRegistry {
  private readonly byName: ReadonlyMap<string, TaskProvider>;

  constructor(readonly providers: readonly TaskProvider[] = taskProviders) {
    const byName = new Map<string, TaskProvider>();
    for (const provider of providers) {
      if (byName.has(provider.name)) throw new Error(`two task providers are named "${provider.name}"`);
      byName.set(provider.name, provider);
    }
    this.byName = byName;
  }

  /** The provider a task row names (`tasks.provider`); undefined for one this build no longer has. */
  named(name: string): TaskProvider | undefined {
    return this.byName.get(name);
  }

  /** The providers that make this kind, in order of preference. */
  serving(kind: TaskKind): TaskProvider[] {
    return this.providers.filter((provider) => provider.kinds.includes(kind));
  }

  /** The first provider of this kind whose endpoint is configured; undefined when none is. */
  route(kind: TaskKind, endpoints: Providers): TaskRoute | undefined {
    for (const provider of this.serving(kind)) {
      const endpoint = endpoints[provider.name];
      if (endpoint) return { provider, endpointName: provider.name, endpoint };
    }
    return undefined;
  }
}
