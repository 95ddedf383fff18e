import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { createApp } from "../app.js";
import { loadConfig, type Config } from "../config.js";
import { applyServerLimits } from "../http/server-limits.js";
import type { AppDeps, CoreDeps } from "../deps.js";
import type { Clock } from "../lib/clock.js";
import { createLogger, type Logger } from "../logger.js";
import { createSmtpMailer } from "../mail/mailer.js";
import { createGeneration } from "../tasks/create-generation.js";
import type { GenerationTuning } from "../tasks/tuning.js";
import { resolveProviders, type Providers } from "../providers/endpoints.js";
import type { TaskProvider } from "../providers/provider.js";
import type { OperationRule } from "../pipeline/rule.js";
import { createTestDatabase, type TestDatabase } from "./database.js";
import { startTestSmtp, type TestSmtp } from "./smtp.js";

/** A clock the test moves by hand (code expiry, idle sessions, calendar days). */
export class TestClock implements Clock {
  private current: number;
  constructor(start: Date = new Date()) {
    this.current = start.getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(at: Date): void {
    this.current = at.getTime();
  }
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", ...env }, undefined);
}

export interface TestApp {
  url: string;
  deps: AppDeps;
  clock: TestClock;
  smtp: TestSmtp;
  database: TestDatabase;
  /** POST JSON the way the frontend does; answers the parsed body and the HTTP status. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/**
 * The real app over HTTP on 127.0.0.1, on a database of its own (or the one given), sending mail to a real SMTP
 * server. `env` sets configuration variables as an operator would.
 */
export interface TestAppOptions {
  /** Run on this database instead of a fresh copy of the template. */
  database?: TestDatabase;
  /** Where the app logs (a test that reads the log), instead of TEST_LOG_LEVEL's stdout logger. */
  logger?: Logger;
  /** Shorter timings of the task machinery (keep-alives, polling, grace periods). */
  tuning?: Partial<GenerationTuning>;
  /** The task providers instead of the registry's list (a provider added by a test build). */
  taskProviders?: readonly TaskProvider[];
  /** Endpoints besides the configured ones (a test provider's fake), by name. */
  endpoints?: Providers;
  /** Rules every operation passes (pipeline/run.ts), as a build of the app with a rule of its own would have. */
  operationRules?: OperationRule[];
}

export async function startTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const smtp = await startTestSmtp();
  const config = testConfig({ SMTP_URL: smtp.url, ...env });
  const clock = new TestClock();
  const core: CoreDeps = {
    db: database.db,
    config,
    secret: "test-secret-test-secret-test-secret-0123",
    mailer: createSmtpMailer(smtp.url, config.mail.from),
    logger: options.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? "silent"),
    clock,
    providers: { ...resolveProviders(config), ...options.endpoints },
  };
  const deps: AppDeps = {
    ...core,
    generation: createGeneration(core, { tuning: options.tuning, taskProviders: options.taskProviders }),
    ...(options.operationRules ? { operationRules: options.operationRules } : {}),
  };
  const server: Server = createApp(deps).listen(0, "127.0.0.1");
  applyServerLimits(server);
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const call = async (method: string, path: string, body: unknown, headers: Record<string, string>) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { "Content-Type": "application/json", ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: the test sees the text
    }
    return { status: res.status, body: parsed as any };
  };

  return {
    url,
    deps,
    clock,
    smtp,
    database,
    post: (path, body, headers = {}) => call("POST", path, body, headers),
    get: (path, headers = {}) => call("GET", path, undefined, headers),
    async close() {
      await deps.generation.shutdown();
      // A test that refused a request mid-body may leave its connection open: it is cut after a moment.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const cut = setTimeout(() => server.closeAllConnections(), 2_000);
      await closed;
      clearTimeout(cut);
      deps.mailer.close();
      await smtp.close();
      await database.drop();
    },
  };
}
