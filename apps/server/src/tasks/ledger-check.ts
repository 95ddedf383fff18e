import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "../db/schema.js";
import { refPrefixes } from "../modules/points/refs.js";

interface TaskMoneyRow {
  email: string;
  public_id: string;
  status: string;
  cost: number;
  charges: number;
  charged: number;
  refunds: number;
  refunded: number;
}

/**
 * Tasks whose ledger rows break the rules of DESIGN.md §6: a priced task is charged exactly once
 * (its price), a failed one is refunded exactly once (its price), any other is never refunded.
 */
const taskOffendersQuery = sql<TaskMoneyRow>`
  select u.email, t.public_id, t.status, t.cost,
         count(l.id) filter (where l.type = 'consume') as charges,
         coalesce(-sum(l.amount) filter (where l.type = 'consume'), 0) as charged,
         count(l.id) filter (where l.type = 'refund') as refunds,
         coalesce(sum(l.amount) filter (where l.type = 'refund'), 0) as refunded
  from tasks t
  join users u on u.id = t.user_id
  left join ledger l on l.user_id = t.user_id and l.ref = ${refPrefixes.task} || t.public_id
  group by u.email, t.id, t.public_id, t.status, t.cost
  having (t.cost > 0 and (count(l.id) filter (where l.type = 'consume') <> 1 or coalesce(-sum(l.amount) filter (where l.type = 'consume'), 0) <> t.cost))
      or (t.status = 'failed' and t.cost > 0 and (count(l.id) filter (where l.type = 'refund') <> 1 or coalesce(sum(l.amount) filter (where l.type = 'refund'), 0) <> t.cost))
      or (t.status <> 'failed' and count(l.id) filter (where l.type = 'refund') > 0)
  order by t.id`;

function describe(row: TaskMoneyRow): string {
  const problems: string[] = [];
  if (row.cost > 0 && (Number(row.charges) !== 1 || row.charged !== row.cost))
    problems.push(`charged ${row.charges} time(s), ${row.charged} point(s), for a price of ${row.cost}`);
  if (row.status === "failed" && row.cost > 0 && (Number(row.refunds) !== 1 || row.refunded !== row.cost))
    problems.push(`failed but refunded ${row.refunds} time(s), ${row.refunded} point(s)`);
  if (row.status !== "failed" && Number(row.refunds) > 0) problems.push(`${row.status} but refunded ${row.refunds} time(s)`);
  return `task ${row.public_id}: ${problems.join("; ")}`;
}

export async function taskLedgerOffenders(
  db: Kysely<Database> | Transaction<Database>,
): Promise<Array<{ email: string; problem: string }>> {
  const { rows } = await taskOffendersQuery.execute(db);
  return rows.map((row) => ({ email: row.email, problem: describe(row) }));
}
