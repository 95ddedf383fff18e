import { sql } from "kysely";
import type { AppDeps } from "../deps.js";
import type { Task } from "../db/schema.js";
import { grsaiProvider } from "../providers/grsai/provider.js";
import type { TaskRoute } from "../providers/registry.js";
import type { TestApp } from "./app.js";

/** Task helpers for integration tests. */

/** Where a task made by hand (`chargeAndCreateTask`) is recorded as sent: GrsAI at the given endpoint, or at nowhere reachable. */
export function grsaiRoute(baseUrl = "http://127.0.0.1:9"): TaskRoute {
  return { provider: grsaiProvider, endpointName: "grsai", endpoint: { baseUrl, apiKey: "test-key" } };
}

export async function taskByPublicId(deps: AppDeps, publicId: string): Promise<Task> {
  return deps.db.selectFrom("tasks").selectAll().where("public_id", "=", publicId).executeTakeFirstOrThrow();
}

/** The ledger rows that charged (`consume`) and refunded (`refund`) a task. */
export async function ledgerOfTask(deps: AppDeps, publicId: string): Promise<{ consume: number[]; refund: number[] }> {
  const rows = await deps.db.selectFrom("ledger").select(["type", "amount"]).where("ref", "=", `task:${publicId}`).orderBy("id").execute();
  return {
    consume: rows.filter((row) => row.type === "consume").map((row) => row.amount),
    refund: rows.filter((row) => row.type === "refund").map((row) => row.amount),
  };
}

export async function taskCount(deps: AppDeps): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from tasks`.execute(deps.db);
  return rows[0]?.n ?? 0;
}

/** Lets a task's lease and schedule lapse now, as if its grace period or lease had passed. */
export async function expireLease(deps: AppDeps, publicId: string): Promise<void> {
  await sql`update tasks set lease_until = now() - interval '1 second', next_poll_at = now() - interval '1 second' where public_id = ${publicId}`.execute(
    deps.db,
  );
}

/** Makes a task look `seconds` older than it is (max-age and slow-polling rules). */
export async function ageTask(deps: AppDeps, publicId: string, seconds: number): Promise<void> {
  await sql`update tasks set created_at = created_at - make_interval(secs => ${seconds}) where public_id = ${publicId}`.execute(deps.db);
}

/** Polls `/api/proxy/v1/draw/result` as the frontend does until the task is final; answers its `data`. */
export async function pollUntilFinal(
  app: TestApp,
  headers: Record<string, string>,
  id: string,
  timeoutMs = 10_000,
): Promise<Record<string, unknown>> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const res = await app.post("/api/proxy/v1/draw/result", { id }, headers);
    if (res.body.status !== "success") throw new Error(`poll failed: ${JSON.stringify(res.body)}`);
    if (res.body.data.status === "completed" || res.body.data.status === "failed") return res.body.data;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`task ${id} not final after ${timeoutMs} ms`);
}
