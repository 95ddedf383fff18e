import { describe, expect, it } from "vitest";
import { normaliseBaseUrl, resolveProviders } from "./endpoints.js";
import { testConfig } from "../test/app.js";

describe("upstream providers", () => {
  it("tolerates a trailing slash or /v1 on a base URL", () => {
    expect(normaliseBaseUrl("https://api.example.com/v1/")).toBe("https://api.example.com");
    expect(normaliseBaseUrl("https://api.example.com/")).toBe("https://api.example.com");
    expect(normaliseBaseUrl("https://api.example.com/relay/v1")).toBe("https://api.example.com/relay");
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
    expect(simulated.chat).toEqual({ baseUrl: "http://127.0.0.1:9999", apiKey: "simulator", model: "gpt-4o-mini" });
  });
});
