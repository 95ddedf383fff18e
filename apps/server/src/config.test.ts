import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

const load = (env: Record<string, string>) => loadConfig(env, undefined);

describe("configuration", () => {
  it("runs on the embedded defaults with nothing set", () => {
    const config = load({});
    expect(config).toMatchObject({
      port: 8000,
      host: "0.0.0.0",
      databaseUrl: undefined,
      dataDir: ".ocean1",
      corsOrigins: "*",
      invitePolicy: "optional",
      points: { registerBonus: 0, inviteBonus: 0, dailyReward: 0, chatPrice: 1 },
      rewardTimeZone: "Asia/Shanghai",
      sessionIdleDays: 30,
      waits: { soraSeconds: 570, bananaSeconds: 280 },
    });
    expect(config.providers.simulator).toBe(false);
  });

  it("takes the providers' base URLs as the providers give them, paths included", () => {
    const urls = {
      CHAT_BASE_URL: "https://ark.cn-beijing.volces.com/api/v3",
      GRSAI_BASE_URL: "https://host.example.com/grsai/v1",
      JIMENG_BASE_URL: "http://127.0.0.1:5100",
    };
    expect(load(urls).providers).toMatchObject({
      chat: { baseUrl: urls.CHAT_BASE_URL },
      grsai: { baseUrl: urls.GRSAI_BASE_URL },
      jimeng: { baseUrl: urls.JIMENG_BASE_URL },
    });
  });

  it("treats an empty variable as unset", () => {
    expect(load({ PORT: "" }).port).toBe(8000);
  });

  it("splits CORS_ORIGINS into a list", () => {
    expect(load({ CORS_ORIGINS: "https://a.example.com, https://b.example.com" }).corsOrigins).toEqual([
      "https://a.example.com",
      "https://b.example.com",
    ]);
  });

  it.each([
    ["PORT", "eighty"],
    ["INVITE_POLICY", "sometimes"],
    ["DAILY_REWARD_POINTS", "-5"],
    ["REWARD_TIMEZONE", "Mars/Olympus"],
    ["MIN_CLIENT_VERSION", "one"],
    ["DATABASE_URL", "not a url"],
    ["SMTP_URL", "http://mail.example.com"],
    ["OCEAN1_SECRET", "short"],
    ["OCEAN1_SIMULATOR", "yes please"],
  ])("stops with a message naming %s when it is %s", (name, value) => {
    expect(() => load({ [name]: value })).toThrow(ConfigError);
    expect(() => load({ [name]: value })).toThrow(name);
  });

  it("refuses the development defaults in production, naming each", () => {
    let message = "";
    try {
      load({ NODE_ENV: "production", OCEAN1_SIMULATOR: "1" });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const name of ["DATABASE_URL", "OCEAN1_SECRET", "SMTP_URL", "OCEAN1_SIMULATOR"]) expect(message).toContain(name);
  });

  it("accepts production with real settings, or with the defaults explicitly allowed", () => {
    const production = {
      NODE_ENV: "production",
      DATABASE_URL: "postgres://u:p@db.internal:5432/ocean1",
      OCEAN1_SECRET: "s".repeat(40),
      SMTP_URL: "smtps://u:p@smtp.example.com:465",
    };
    expect(load(production).env).toBe("production");
    expect(load({ NODE_ENV: "production", ALLOW_DEV_DEFAULTS_IN_PRODUCTION: "1" }).databaseUrl).toBeUndefined();
  });
});

describe("cat chat configuration", () => {
  it("defaults to the built-in Chinese persona and a 25 s upstream wait", () => {
    const { chat } = load({});
    expect(chat.persona).toMatch(/猫/);
    expect(chat.timeoutMs).toBe(25_000);
  });

  it("takes CAT_PERSONA as the operator wrote it, trimmed", () => {
    expect(load({ CAT_PERSONA: "  你是一只橘猫。\n回答要短。 " }).chat.persona).toBe("你是一只橘猫。\n回答要短。");
  });

  it.each([
    ["CHAT_TIMEOUT_MS", "30000"],
    ["CHAT_TIMEOUT_MS", "fast"],
    ["CHAT_PRICE_POINTS", "-1"],
  ])("stops with a message naming %s when it is %s", (name, value) => {
    expect(() => load({ [name]: value })).toThrow(name);
  });
});

describe("CORS_ORIGINS", () => {
  it("takes * or a comma-separated list of origins, with ports and spaces", () => {
    expect(load({ CORS_ORIGINS: " * " }).corsOrigins).toBe("*");
    expect(load({ CORS_ORIGINS: "https://app.example.com, http://localhost:3000" }).corsOrigins).toEqual([
      "https://app.example.com",
      "http://localhost:3000",
    ]);
  });
});

describe("configuration messages", () => {
  it.each([
    [{ PORT: "abc" }, 'PORT="abc": must be a number'],
    [{ PORT: "1.5" }, 'PORT="1.5": must be a whole number'],
    [{ PORT: "70000" }, 'PORT="70000": must be at most 65535'],
    [{ INVITE_POLICY: "sometimes" }, 'INVITE_POLICY="sometimes": must be one of required, optional, off'],
    [{ DATABASE_URL: "not a url" }, 'DATABASE_URL="not a url": must be a URL'],
    [
      { CORS_ORIGINS: "notanorigin" },
      'CORS_ORIGINS="notanorigin": must be * or a comma-separated list of origins (scheme://host[:port], no path); "notanorigin" is not one',
    ],
    [
      { CORS_ORIGINS: "https://app.example.com/" },
      'CORS_ORIGINS="https://app.example.com/": must be * or a comma-separated list of origins',
    ],
    [{ CORS_ORIGINS: "https://a.example.com, https://b.example.com/app" }, '"https://b.example.com/app" is not one'],
    [{ CORS_ORIGINS: " , " }, 'CORS_ORIGINS=" , ": must be * or a comma-separated list of origins'],
    [
      { CHAT_BASE_URL: "https://api.openai.com/v1/chat/completions" },
      'CHAT_BASE_URL="https://api.openai.com/v1/chat/completions": must be the base URL without /chat/completions',
    ],
    [
      { CHAT_BASE_URL: "https://x.example.com/v1?key=1" },
      'CHAT_BASE_URL="https://x.example.com/v1?key=1": must be an http(s) base URL without',
    ],
    [{ GRSAI_BASE_URL: "ftp://relay.example.com" }, 'GRSAI_BASE_URL="ftp://relay.example.com": must be a URL'],
    [
      { JIMENG_BASE_URL: "https://jimeng.example.com/#v1" },
      'JIMENG_BASE_URL="https://jimeng.example.com/#v1": must be an http(s) base URL',
    ],
  ])("names the variable and the value given in English: %j", (env, line) => {
    expect(() => load(env)).toThrow(line);
  });

  it("never prints a secret or a URL's password, only describes it", () => {
    let message = "";
    try {
      load({ OCEAN1_SECRET: "hunter2-secret", SMTP_URL: "http://user:pa55word@mail.example.com" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("OCEAN1_SECRET (14 characters): must be at least 32 characters");
    expect(message).toContain("SMTP_URL=");
    expect(message).not.toContain("hunter2");
    expect(message).not.toContain("pa55word");
  });
});

describe(".env file", () => {
  it("fills only unset variables of the env it is given and leaves process.env alone", async () => {
    const { mkdtemp, writeFile, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const dir = await mkdtemp(path.join(tmpdir(), "ocean1-env-"));
    const file = path.join(dir, ".env");
    await writeFile(file, "PORT=9123\nHOST=10.1.2.3\nOCEAN1_TEST_ONLY_MARKER=1\n");
    try {
      const config = loadConfig({ HOST: "127.0.0.1" }, file);
      expect(config.port).toBe(9123);
      expect(config.host).toBe("127.0.0.1");
      expect(process.env.OCEAN1_TEST_ONLY_MARKER).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
