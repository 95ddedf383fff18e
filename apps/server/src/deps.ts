import type { Config } from "./config.js";
import type { Db } from "./db/database.js";
import type { Clock } from "./lib/clock.js";
import type { Logger } from "./logger.js";
import type { Mailer } from "./mail/mailer.js";
import type { Generation } from "./tasks/generation.js";
import type { OperationRule } from "./pipeline/rule.js";
import type { Providers } from "./providers/endpoints.js";

/** Everything the app needs from outside, passed in so that tests build the real app in a few lines. */
export interface AppDeps {
  db: Db;
  config: Config;
  /** OCEAN1_SECRET, or the development secret generated into the data dir. */
  secret: string;
  mailer: Mailer;
  logger: Logger;
  clock: Clock;
  /** Upstream AI providers; an absent one is not configured. */
  providers: Providers;
  /** This instance's task machinery: held requests, upstream limits, the shutdown hook. */
  generation: Generation;
  /** Rules every call of every operation passes, whichever way it came in (pipeline/run.ts); none by default. */
  operationRules?: readonly OperationRule[];
}

/** What the generation machinery is built from (`createGeneration`). */
export type CoreDeps = Omit<AppDeps, "generation">;
