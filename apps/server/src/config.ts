import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { z } from "zod";
import { CatalogError, loadCatalog, type Catalog } from "./modules/generation/catalog.js";
import { defaultCatPersona } from "./modules/chat/persona.js";

const ZPoints = z.coerce.number().int().min(0).max(1_000_000);
const ZFlag = z.enum(["0", "1", "true", "false"]).transform((value) => value === "1" || value === "true");
const ZUrl = z.url();

/** A provider's base URL: http(s), no query or fragment (paths are appended to it). */
const ZProviderUrl = z.url({ protocol: /^https?$/ }).refine((url) => {
  const parsed = new URL(url);
  return parsed.search === "" && parsed.hash === "" && !url.includes("?") && !url.includes("#");
}, "must be an http(s) base URL without a query or fragment");

/** OpenAI-style clients append `/chat/completions` themselves; a URL ending in it would be asked twice. */
const ZChatUrl = ZProviderUrl.refine(
  (url) => !/\/chat\/completions\/*$/.test(url),
  "must be the base URL without /chat/completions (e.g. https://api.openai.com/v1)",
);

const ZTimeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, "not a known IANA time zone");

const ZSemver = z.string().regex(/^\d+\.\d+\.\d+(?:[-+].*)?$/, "not a semantic version (e.g. 1.2.0)");

const ZTrustProxy = z.string().transform((value, ctx): boolean | number | string => {
  if (value === "true") return true;
  if (value === "false") return false;
  if (/^\d+$/.test(value)) return Number(value);
  if (value.trim() === "") ctx.addIssue({ code: "custom", message: "empty" });
  return value;
});

/** The form of a browser's `Origin` header; a path or a trailing `/` would never match one. */
const originPattern = /^[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]+(?::\d{1,5})?$/i;

/** `*`, or the origins allowed to read answers, comma-separated. */
const ZCorsOrigins = z.string().transform((value, ctx): "*" | string[] => {
  if (value.trim() === "*") return "*";
  const origins = value
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);
  const wrong = origins.find((origin) => !originPattern.test(origin));
  if (wrong !== undefined || origins.length === 0) {
    const detail = wrong === undefined ? "" : `; ${JSON.stringify(wrong)} is not one`;
    ctx.addIssue({ code: "custom", message: `must be * or a comma-separated list of origins (scheme://host[:port], no path)${detail}` });
  }
  return origins;
});

/** Every setting of DESIGN.md §9, parsed once at start-up; nothing else reads `process.env`. */
export const ZEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: ZUrl.optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  OCEAN1_DATA_DIR: z.string().min(1).default(".ocean1"),
  OCEAN1_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must start with smtp:// or smtps://")
    .optional(),
  MAIL_FROM: z.string().min(3).default("Ocean1 <no-reply@ocean1.local>"),
  GRSAI_BASE_URL: ZProviderUrl.optional(),
  GRSAI_API_KEY: z.string().min(1).optional(),
  JIMENG_BASE_URL: ZProviderUrl.optional(),
  JIMENG_API_KEY: z.string().min(1).optional(),
  CHAT_BASE_URL: ZChatUrl.optional(),
  CHAT_API_KEY: z.string().min(1).optional(),
  CHAT_MODEL: z.string().min(1).default("gpt-4o-mini"),
  CAT_PERSONA: z.string().trim().min(1).max(8000).default(defaultCatPersona),
  // Internal: the upstream wait of one chat call, kept under the frontend's 30 s budget.
  CHAT_TIMEOUT_MS: z.coerce.number().int().min(100).max(28_000).default(25_000),
  OCEAN1_SIMULATOR: ZFlag.default(false),
  MODEL_CATALOG: z.string().min(1).optional(),
  CORS_ORIGINS: ZCorsOrigins.default("*"),
  INVITE_POLICY: z.enum(["required", "optional", "off"]).default("optional"),
  REGISTER_BONUS_POINTS: ZPoints.default(0),
  INVITE_BONUS_POINTS: ZPoints.default(0),
  DAILY_REWARD_POINTS: ZPoints.default(0),
  CHAT_PRICE_POINTS: ZPoints.default(1),
  REWARD_TIMEZONE: ZTimeZone.default("Asia/Shanghai"),
  MIN_CLIENT_VERSION: ZSemver.optional(),
  SESSION_IDLE_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  SORA_WAIT_SECONDS: z.coerce.number().int().min(1).max(590).default(570),
  BANANA_WAIT_SECONDS: z.coerce.number().int().min(1).max(295).default(280),
  // A GrsAI task fails once its polls have failed this long in a row; a task the relay does not know is pending this long after its submit.
  GRSAI_POLL_FAILURE_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
  GRSAI_NOT_FOUND_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  // jimeng-api waits for ByteDance up to 30 min (images) and 60 min (videos): we wait as long for its answer.
  JIMENG_IMAGE_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(240).default(30),
  JIMENG_VIDEO_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(240).default(60),
  TRUST_PROXY: ZTrustProxy.default(false),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ALLOW_DEV_DEFAULTS_IN_PRODUCTION: ZFlag.default(false),
  // Prometheus metrics: on a port of their own (unset: none), and/or on the public port behind a bearer token.
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
});

export type Env = z.infer<typeof ZEnv>;

export interface Config {
  env: Env["NODE_ENV"];
  port: number;
  host: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  /** Unset outside production: the start-up generates one into the data dir. */
  secret: string | undefined;
  mail: { smtpUrl: string | undefined; from: string };
  providers: {
    grsai: { baseUrl: string | undefined; apiKey: string | undefined };
    jimeng: { baseUrl: string | undefined; apiKey: string | undefined };
    chat: { baseUrl: string | undefined; apiKey: string | undefined; model: string };
    simulator: boolean;
    modelCatalogPath: string | undefined;
  };
  /** The model catalogue: MODEL_CATALOG's file, or the built-in default (DESIGN.md §6). */
  catalog: Catalog;
  corsOrigins: "*" | string[];
  invitePolicy: Env["INVITE_POLICY"];
  points: { registerBonus: number; inviteBonus: number; dailyReward: number; chatPrice: number };
  /** The cat's system prompt when the client sends none, and the upstream wait of one call. */
  chat: { persona: string; timeoutMs: number };
  rewardTimeZone: string;
  minClientVersion: string | undefined;
  sessionIdleDays: number;
  waits: { soraSeconds: number; bananaSeconds: number };
  /** What MODEL_CATALOG loaded with but the operator should see (logged at startup). */
  catalogWarnings: string[];
  /** How long polls may fail before a task fails, and how long an unknown task counts as just submitted. */
  polling: { failureWindowMs: number; notFoundGraceMs: number };
  /** How long one Jimeng call may take, by kind (the task shows processing meanwhile). */
  syncTimeouts: { jimeng_image: number; jimeng_video: number };
  trustProxy: boolean | number | string;
  logLevel: Env["LOG_LEVEL"];
  /** `/metrics`: its own listener when `port` is set; on the public port only with `token` (Bearer). */
  metrics: { port: number | undefined; host: string; token: string | undefined };
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Adds the variables of an optional `.env` file to a copy of `env`, without overriding what is
 * already set there; `process.env` itself is left alone.
 */
function withDotEnv(env: NodeJS.ProcessEnv, dotEnvPath: string | undefined): NodeJS.ProcessEnv {
  if (!dotEnvPath) return env;
  let text: string;
  try {
    text = readFileSync(dotEnvPath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return env;
    throw error;
  }
  const fromFile = parseEnv(text);
  const merged: NodeJS.ProcessEnv = { ...env };
  for (const [name, value] of Object.entries(fromFile)) {
    if (merged[name] === undefined || merged[name] === "") merged[name] = value;
  }
  return merged;
}

/** Values that must not be printed: a wrong secret is described by its length only. */
const secretVariables = new Set(["OCEAN1_SECRET", "GRSAI_API_KEY", "JIMENG_API_KEY", "CHAT_API_KEY", "METRICS_TOKEN"]);
const urlVariables = new Set(["DATABASE_URL", "SMTP_URL", "GRSAI_BASE_URL", "JIMENG_BASE_URL", "CHAT_BASE_URL"]);

function shownValue(name: string, value: string | undefined): string {
  if (value === undefined) return `${name} (unset)`;
  if (secretVariables.has(name)) return `${name} (${value.length} characters)`;
  if (urlVariables.has(name)) return `${name}=${JSON.stringify(value.replace(/\/\/([^/@]*)@/, "//***@"))}`;
  return `${name}=${JSON.stringify(value)}`;
}

/** One English sentence per problem, the same whatever locale zod speaks elsewhere in the process. */
function describeConfigIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      if (issue.expected === "int") return "must be a whole number";
      return issue.expected === "number" ? "must be a number" : `must be a ${issue.expected}`;
    case "too_small":
      return issue.origin === "string" ? `must be at least ${issue.minimum} characters` : `must be at least ${issue.minimum}`;
    case "too_big":
      return issue.origin === "string" ? `must be at most ${issue.maximum} characters` : `must be at most ${issue.maximum}`;
    case "invalid_value":
      return `must be one of ${issue.values.map(String).join(", ")}`;
    case "invalid_format":
      return issue.format === "url" ? "must be a URL" : issue.message;
    default:
      return issue.message;
  }
}

/** Unset and empty are the same for every variable: `PORT=` means the default. */
function dropEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ""));
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, dotEnvPath: string | undefined = ".env"): Config {
  const merged = dropEmpty(withDotEnv(env, dotEnvPath));
  const parsed = ZEnv.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "");
      return `  ${shownValue(name, merged[name])}: ${describeConfigIssue(issue)}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const catalogWarnings: string[] = [];
  const config: Config = {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    dataDir: e.OCEAN1_DATA_DIR,
    secret: e.OCEAN1_SECRET,
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    providers: {
      grsai: { baseUrl: e.GRSAI_BASE_URL, apiKey: e.GRSAI_API_KEY },
      jimeng: { baseUrl: e.JIMENG_BASE_URL, apiKey: e.JIMENG_API_KEY },
      chat: { baseUrl: e.CHAT_BASE_URL, apiKey: e.CHAT_API_KEY, model: e.CHAT_MODEL },
      simulator: e.OCEAN1_SIMULATOR,
      modelCatalogPath: e.MODEL_CATALOG,
    },
    catalog: readCatalog(e.MODEL_CATALOG, catalogWarnings),
    catalogWarnings,
    corsOrigins: e.CORS_ORIGINS,
    invitePolicy: e.INVITE_POLICY,
    points: {
      registerBonus: e.REGISTER_BONUS_POINTS,
      inviteBonus: e.INVITE_BONUS_POINTS,
      dailyReward: e.DAILY_REWARD_POINTS,
      chatPrice: e.CHAT_PRICE_POINTS,
    },
    chat: { persona: e.CAT_PERSONA, timeoutMs: e.CHAT_TIMEOUT_MS },
    rewardTimeZone: e.REWARD_TIMEZONE,
    minClientVersion: e.MIN_CLIENT_VERSION,
    sessionIdleDays: e.SESSION_IDLE_DAYS,
    waits: { soraSeconds: e.SORA_WAIT_SECONDS, bananaSeconds: e.BANANA_WAIT_SECONDS },
    polling: { failureWindowMs: e.GRSAI_POLL_FAILURE_MINUTES * 60_000, notFoundGraceMs: e.GRSAI_NOT_FOUND_GRACE_SECONDS * 1000 },
    syncTimeouts: { jimeng_image: e.JIMENG_IMAGE_TIMEOUT_MINUTES * 60_000, jimeng_video: e.JIMENG_VIDEO_TIMEOUT_MINUTES * 60_000 },
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    metrics: { port: e.METRICS_PORT, host: e.METRICS_HOST, token: e.METRICS_TOKEN },
  };
  if (config.env === "production" && !e.ALLOW_DEV_DEFAULTS_IN_PRODUCTION) refuseDevelopmentDefaults(config);
  return config;
}

function readCatalog(path: string | undefined, warnings: string[]): Catalog {
  try {
    return loadCatalog(path, warnings);
  } catch (error) {
    if (!(error instanceof CatalogError)) throw error;
    const lines = error.message.split("\n").map((line) => `  MODEL_CATALOG: ${line}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
}

function refuseDevelopmentDefaults(config: Config): void {
  const problems: string[] = [];
  if (!config.databaseUrl) problems.push("DATABASE_URL: required in production (the embedded database is for development)");
  if (!config.secret) problems.push("OCEAN1_SECRET: required in production");
  if (!config.mail.smtpUrl) problems.push("SMTP_URL: required in production (the log mailer is for development)");
  if (config.providers.simulator) problems.push("OCEAN1_SIMULATOR: the upstream simulator is refused in production");
  if (problems.length > 0) {
    throw new ConfigError(
      `Invalid configuration for NODE_ENV=production:\n${problems.map((p) => `  ${p}`).join("\n")}\n` +
        "  (set ALLOW_DEV_DEFAULTS_IN_PRODUCTION=1 to allow the development defaults anyway)",
    );
  }
}
