import type { Migration } from "kysely";
import * as accounts from "./2026-11-24T00-00-00_accounts.js";
import * as points from "./2026-11-24T00-00-01_points.js";
import * as chatCalls from "./2026-11-25T09-00-00_chat_calls.js";
import * as tasks from "./2026-11-25T10-00-00_tasks.js";
import * as taskUploads from "./2026-11-25T10-00-01_task_uploads.js";
import * as ledgerInsertTime from "./2026-11-25T11-00-00_ledger_insert_time.js";
import * as taskProvider from "./2026-12-04T12-00-00_task_provider.js";
import * as taskPollFailingSince from "./2026-12-04T18-00-00_task_poll_failing_since.js";
import * as taskOptions from "./2026-12-04T18-00-01_task_options.js";
import * as taskResultUrls from "./2026-12-04T22-00-00_task_result_urls.js";

/** Every migration, by its timestamped name. Shipped migrations are never edited; add a new one. */
export const migrations: Record<string, Migration> = {
  "2026-11-24T00-00-00_accounts": accounts,
  "2026-11-24T00-00-01_points": points,
  "2026-11-25T09-00-00_chat_calls": chatCalls,
  "2026-11-25T10-00-00_tasks": tasks,
  "2026-11-25T10-00-01_task_uploads": taskUploads,
  "2026-11-25T11-00-00_ledger_insert_time": ledgerInsertTime,
  "2026-12-04T12-00-00_task_provider": taskProvider,
  "2026-12-04T18-00-00_task_poll_failing_since": taskPollFailingSince,
  "2026-12-04T18-00-01_task_options": taskOptions,
  "2026-12-04T22-00-00_task_result_urls": taskResultUrls,
};
