import { describe, expect, it } from "vitest";
import { chatBaseUrl, normaliseBaseUrl, resolveProviders } from "./endpoints.js";
import { testConfig } from "../test/app.js";

describe("upstream providers", () => {
  it.each([
    ["https://open.bigmodel.cn/api/paas/v4", "https://open.bigmodel.cn/api/paas/v4"],
    ["https://ark.cn-beijing.volces.com/api/v3", "https://ark.cn-beijing.volces.com/api/v3"],
    ["https://generativelanguage.googleapis.com/v1beta/openai", "https://generativelanguage.googleapis.com/v1beta/openai"],
    ["https://generativelanguage.googleapis.com/v1beta/openai/", "https://generativelanguage.googleapis.com/v1beta/openai"],
    ["https://api.openai.com/v1", "https://api.openai.com/v1"],
    ["https://api.openai.com", "https://api.openai.com/v1"],
    ["https://api.openai.com/", "https://api.openai.com/v1"],
    ["http://127.0.0.1:9999", "http://127.0.0.1:9999/v1"],
  ])("chat: %s is asked at %s + /chat/completions, as OpenAI-style clients do", (given, base) => {
    expect(chatBaseUrl(given)).toBe(base);
  });

  it.each([
    ["https://grsai.dakka.com.cn", "https://grsai.dakka.com.cn"],
    ["https://grsai.dakka.com.cn/", "https://grsai.dakka.com.cn"],
    ["https://grsai.dakka.com.cn/v1", "https://grsai.dakka.com.cn"],
    ["https://api.example.com/v1/", "https://api.example.com"],
    ["https://host.example.com/grsai", "https://host.example.com/grsai"],
    ["https://host.example.com/grsai/v1", "https://host.example.com/grsai"],
    ["http://127.0.0.1:5100/v1", "http://127.0.0.1:5100"],
  ])("GrsAI, Jimeng: %s is the root %s, to which their /v1/... paths are appended", (given, root) => {
    expect(normaliseBaseUrl(given)).toBe(root);
  });

  it("resolves each provider by its own rule", () => {
    const config = testConfig({
      GRSAI_BASE_URL: "https://relay.example.com/grsai/v1",
      GRSAI_API_KEY: "k1",
      JIMENG_BASE_URL: "https://jimeng.example.com/",
      JIMENG_API_KEY: "k2",
      CHAT_BASE_URL: "https://open.bigmodel.cn/api/paas/v4/",
      CHAT_API_KEY: "k3",
    });
    expect(resolveProviders(config)).toEqual({
      grsai: { baseUrl: "https://relay.example.com/grsai", apiKey: "k1" },
      jimeng: { baseUrl: "https://jimeng.example.com", apiKey: "k2" },
      chat: { baseUrl: "https://open.bigmodel.cn/api/paas/v4", apiKey: "k3", model: "gpt-4o-mini" },
    });
  });

  it("leaves a provider without URL or key unconfigured unless the simulator stands in", () => {
    const config = testConfig({
      GRSAI_BASE_URL: "https://relay.example.com/v1",
      GRSAI_API_KEY: "k1",
      CHAT_BASE_URL: "https://chat.example.com",
    });
    expect(resolveProviders(config)).toEqual({
      grsai: { baseUrl: "https://relay.example.com", apiKey: "k1" },
      jimeng: undefined,
      chat: undefined,
    });
    const simulated = resolveProviders(config, "http://127.0.0.1:9999");
    expect(simulated.grsai).toEqual({ baseUrl: "https://relay.example.com", apiKey: "k1" });
    expect(simulated.jimeng).toEqual({ baseUrl: "http://127.0.0.1:9999", apiKey: "simulator" });
    expect(simulated.chat).toEqual({ baseUrl: "http://127.0.0.1:9999/v1", apiKey: "simulator", model: "gpt-4o-mini" });
  });
});
