import type { LedgerType, TaskKind, TaskStatus } from "@ocean1/contract";
import type { ColumnType, Generated, Selectable } from "kysely";

/** A timestamp the database fills in; readable as a Date, writable as a Date. */
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Timestamp = ColumnType<Date, Date | undefined, Date>;

export interface UsersTable {
  id: Generated<number>;
  email: string;
  nickname: string;
  password_hash: string;
  /** Never negative: a CHECK constraint, and every change goes through `changePoints`. */
  points: ColumnType<number, never, number>;
  invited_by_code_id: number | null;
  /** The calendar day (REWARD_TIMEZONE) of the last daily reward, `YYYY-MM-DD`. */
  last_reward_day: string | null;
  disabled_at: Date | null;
  created_at: CreatedAt;
}

export interface TrustedDevicesTable {
  user_id: number;
  device_hash: string;
  created_at: CreatedAt;
  last_used_at: Timestamp;
}

/** At most one row per user: the one active device (DESIGN.md §4). */
export interface SessionsTable {
  user_id: number;
  device_hash: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
}

export type CodePurpose = "general" | "login";

export interface VerificationCodesTable {
  id: Generated<number>;
  email: string;
  purpose: CodePurpose;
  code_hash: string;
  /** For a login code: the device whose password check sent it. */
  device_hash: string | null;
  attempts: Generated<number>;
  created_at: CreatedAt;
  expires_at: Date;
  consumed_at: Date | null;
}

export interface RateLimitsTable {
  key: string;
  hits: number;
  expires_at: Date;
}

export interface LedgerTable {
  id: Generated<number>;
  user_id: number;
  type: LedgerType;
  amount: number;
  balance_after: number;
  description: string;
  /** What caused the change: `card:<id>`, `task:<id>`, `chat:<uuid>`, `user:<id>`, `invite:<id>`, `operator`. */
  ref: string | null;
  created_at: CreatedAt;
}

export interface CardKeysTable {
  id: Generated<number>;
  key_hash: string;
  points: number;
  batch: string | null;
  expires_at: Date | null;
  disabled_at: Date | null;
  redeemed_by: number | null;
  redeemed_at: Date | null;
  created_at: CreatedAt;
}

export interface InviteCodesTable {
  id: Generated<number>;
  code: string;
  /** Set for a user's personal code; null for an operator's code. */
  owner_user_id: number | null;
  max_uses: number | null;
  uses: Generated<number>;
  expires_at: Date | null;
  disabled_at: Date | null;
  created_at: CreatedAt;
}

/** One row per generation task of any kind (DESIGN.md §6). */
export interface TasksTable {
  id: Generated<number>;
  /** The id users and the frontend see: random, reveals nothing. */
  public_id: string;
  user_id: number;
  kind: TaskKind;
  /** The task provider working it (`providers/registry.ts`), and the endpoint (by name) that accepted it. */
  provider: string;
  endpoint: string;
  /** The public model name the user asked for, and what the upstream was sent. */
  model: string;
  upstream_model: string;
  /** The mapped upstream parameters (never a key). */
  request: ColumnType<Record<string, unknown>, string, string>;
  /** The options it is made as, in the catalogue's terms (`PricedRequest.produced`): shown to the user. */
  options: ColumnType<Record<string, string>, string | undefined, string>;
  /** Null until the upstream accepted the task (and for synchronous Jimeng calls). */
  upstream_id: string | null;
  status: TaskStatus;
  progress: Generated<number>;
  result_url: string | null;
  /** Every result, the first being `result_url` (Jimeng 4.x makes four images); null before a result. */
  result_urls: string[] | null;
  result_at: Date | null;
  /** Chinese, for the user. */
  failure_message: string | null;
  /** What the upstream said, for the operator (never shown to users). */
  failure_detail: string | null;
  cost: number;
  charge_ledger_id: number | null;
  refund_ledger_id: number | null;
  /** The instance working the task now, until `lease_until` (database clock). */
  lease_owner: string | null;
  lease_until: Date | null;
  next_poll_at: Generated<Date>;
  polled_at: Date | null;
  /** Consecutive transient upstream failures (429, 5xx, timeouts): the backoff grows with it. */
  poll_failures: Generated<number>;
  /** When the current run of failed polls began; null while polls answer. */
  poll_failing_since: Date | null;
  /** Every upstream request made for this task (submit and polls). */
  upstream_calls: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  finished_at: Date | null;
}

export type ChatCallStatus = "pending" | "answered" | "refunded";

/** A paid cat-chat call: `pending` from its charge until it is answered or refunded. */
export interface ChatCallsTable {
  id: string;
  user_id: number;
  cost: number;
  status: ChatCallStatus;
  created_at: CreatedAt;
  finished_at: Date | null;
}

/** A reference image uploaded with a Jimeng task, removed when the task is final. */
export interface TaskUploadsTable {
  task_id: number;
  content_type: string;
  bytes: Buffer;
  created_at: Generated<Date>;
}

export interface Database {
  users: UsersTable;
  trusted_devices: TrustedDevicesTable;
  sessions: SessionsTable;
  verification_codes: VerificationCodesTable;
  rate_limits: RateLimitsTable;
  ledger: LedgerTable;
  card_keys: CardKeysTable;
  invite_codes: InviteCodesTable;
  tasks: TasksTable;
  task_uploads: TaskUploadsTable;
  chat_calls: ChatCallsTable;
}

export type User = Selectable<UsersTable>;
export type LedgerRow = Selectable<LedgerTable>;
export type CardKey = Selectable<CardKeysTable>;
export type InviteCode = Selectable<InviteCodesTable>;
export type VerificationCode = Selectable<VerificationCodesTable>;
export type Task = Selectable<TasksTable>;
