import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { taskLedgerOffenders } from "../../tasks/ledger-check.js";

export interface LedgerOffender {
  email: string;
  problem: string;
}

/** The shape `ledger check --json` prints (DESIGN.md §9). */
export interface LedgerCheckReport {
  ok: boolean;
  users_checked: number;
  offenders: LedgerOffender[];
}

interface OffenderRow {
  email: string;
  points: number;
  ledger_sum: number;
  broken_links: number;
  first_broken_id: number | null;
  first_broken_amount: number | null;
  first_broken_balance: number | null;
  first_broken_previous: number | null;
  negative_rows: number;
  first_negative_id: number | null;
}

/**
 * One pass over the ledger in (user_id, id) order: each row's balance_after must be the previous
 * row's plus its amount (the first row: its amount), never negative, and the amounts must sum to
 * users.points. Only offending users come back, so a healthy ledger of any size answers no rows.
 */
const offendersQuery = sql<OffenderRow>`
  with chained as (
    select user_id, id, amount, balance_after,
           coalesce(lag(balance_after) over (partition by user_id order by id), 0) as previous_balance
    from ledger
  ),
  flagged as (
    select *, balance_after <> previous_balance + amount as broken from chained
  ),
  per_user as (
    select user_id,
           sum(amount) as ledger_sum,
           count(*) filter (where broken) as broken_links,
           min(id) filter (where broken) as first_broken_id,
           (array_agg(amount order by id) filter (where broken))[1] as first_broken_amount,
           (array_agg(balance_after order by id) filter (where broken))[1] as first_broken_balance,
           (array_agg(previous_balance order by id) filter (where broken))[1] as first_broken_previous,
           count(*) filter (where balance_after < 0) as negative_rows,
           min(id) filter (where balance_after < 0) as first_negative_id
    from flagged
    group by user_id
  )
  select u.email, u.points, coalesce(p.ledger_sum, 0) as ledger_sum,
         coalesce(p.broken_links, 0) as broken_links, p.first_broken_id, p.first_broken_amount,
         p.first_broken_balance, p.first_broken_previous,
         coalesce(p.negative_rows, 0) as negative_rows, p.first_negative_id
  from users u
  left join per_user p on p.user_id = u.id
  where u.points <> coalesce(p.ledger_sum, 0)
     or coalesce(p.broken_links, 0) > 0
     or coalesce(p.negative_rows, 0) > 0
     or u.points < 0
  order by u.id`;

function andMore(count: number): string {
  return count > 1 ? ` (and ${count - 1} more row(s))` : "";
}

function describeProblems(row: OffenderRow): string {
  const problems: string[] = [];
  if (row.points !== row.ledger_sum) problems.push(`points ${row.points} != sum of ledger amounts ${row.ledger_sum}`);
  if (row.points < 0) problems.push(`points ${row.points} is negative`);
  if (row.broken_links > 0) {
    problems.push(
      `ledger row ${row.first_broken_id}: balance_after ${row.first_broken_balance} != previous balance ` +
        `${row.first_broken_previous} + amount ${row.first_broken_amount}${andMore(row.broken_links)}`,
    );
  }
  if (row.negative_rows > 0) problems.push(`ledger row ${row.first_negative_id}: negative balance_after${andMore(row.negative_rows)}`);
  return problems.join("; ");
}

/**
 * Checks the invariant of DESIGN.md §5 for every user, and that every failed task was refunded
 * exactly once and no other task was refunded (§6), on one consistent snapshot.
 */
export async function checkLedger(db: Kysely<Database>): Promise<LedgerCheckReport> {
  return db
    .transaction()
    .setIsolationLevel("repeatable read")
    .setAccessMode("read only")
    .execute(async (trx) => {
      const { users } = await trx
        .selectFrom("users")
        .select((eb) => eb.fn.countAll<number>().as("users"))
        .executeTakeFirstOrThrow();
      const { rows } = await offendersQuery.execute(trx);
      const offenders = [...rows.map((row) => ({ email: row.email, problem: describeProblems(row) })), ...(await taskLedgerOffenders(trx))];
      return { ok: offenders.length === 0, users_checked: Number(users), offenders };
    });
}
