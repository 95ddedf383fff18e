import { ZEmail, type HistoryRecord } from "@ocean1/contract";
import type { Kysely } from "kysely";
import type { AppDeps } from "../../deps.js";
import type { Database, User } from "../../db/schema.js";
import { AppError } from "../../errors/app-error.js";
import { sessionIdleSince } from "../auth/sessions.js";
import { getHistory } from "../points/history.js";
import {
  countTrustedDevices,
  findPersonalInviteCode,
  findSessionLastSeen,
  findUserByEmail,
  listUserSummaries,
  type UserSummary,
} from "./queries.js";

type OperatorDeps = Pick<AppDeps, "db" | "clock" | "config">;

const recentLedgerRows = 10;

/** Operators type emails as users do: normalised by the contract's schema before any use. */
export async function requireUser(db: Kysely<Database>, email: string): Promise<User> {
  const parsed = ZEmail.safeParse(email);
  const normalised = parsed.data ?? email.trim();
  const user = parsed.success ? await findUserByEmail(db, parsed.data) : undefined;
  if (!user) throw new AppError("EMAIL_NOT_REGISTERED", `该邮箱尚未注册：${normalised}`);
  return user;
}

export function listUsers(deps: Pick<AppDeps, "db">, options: { limit?: number | undefined } = {}): Promise<UserSummary[]> {
  return listUserSummaries(deps.db, options.limit);
}

export interface UserDetails {
  id: number;
  email: string;
  nickname: string;
  points: number;
  /** The user's personal code; absent for users created before personal codes existed. */
  invite_code: string | null;
  disabled: boolean;
  disabled_at: Date | null;
  created_at: Date;
  trusted_devices: number;
  session_active: boolean;
  session_last_seen_at: Date | null;
  recent_ledger: HistoryRecord[];
}

export async function showUser(deps: OperatorDeps, email: string): Promise<UserDetails> {
  const user = await requireUser(deps.db, email);
  const [inviteCode, trustedDevices, lastSeen, history] = await Promise.all([
    findPersonalInviteCode(deps.db, user.id),
    countTrustedDevices(deps.db, user.id),
    findSessionLastSeen(deps.db, user.id),
    getHistory(deps, user.id, { limit: recentLedgerRows }),
  ]);
  const idleSince = sessionIdleSince(deps.clock.now(), deps.config.sessionIdleDays).getTime();
  return {
    id: user.id,
    email: user.email,
    nickname: user.nickname,
    points: user.points,
    invite_code: inviteCode ?? null,
    disabled: user.disabled_at !== null,
    disabled_at: user.disabled_at,
    created_at: user.created_at,
    trusted_devices: trustedDevices,
    session_active: user.disabled_at === null && lastSeen !== undefined && lastSeen.getTime() > idleSince,
    session_last_seen_at: lastSeen ?? null,
    recent_ledger: history.data,
  };
}
