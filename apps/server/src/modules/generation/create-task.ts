import { randomBytes } from "node:crypto";
import type { TaskKind } from "@ocean1/contract";
import { sql } from "kysely";
import type { AppDeps } from "../../deps.js";
import type { Task } from "../../db/schema.js";
import { tasks } from "../../metrics/metrics.js";
import { changePoints } from "../points/ledger.js";
import { taskRef } from "./finish.js";
import type { PricedRequest } from "./pricing.js";

/** Shown in the user's history for each charge. */
export const chargeDescriptions: Record<TaskKind, string> = {
  sora: "Sora 视频生成",
  banana: "Banana 图片生成",
  jimeng_video: "即梦视频生成",
  jimeng_image: "即梦图片生成",
};

/** 128 random bits, URL-safe: the id says nothing about order, count or owner. */
export function newPublicId(): string {
  return randomBytes(16).toString("base64url");
}

export interface TaskDraft {
  userId: number;
  kind: TaskKind;
  priced: PricedRequest;
  /** The upstream parameters (never a key), kept for the operator and for the submit. */
  request: Record<string, unknown>;
}

/**
 * Charges the price and creates the task in one transaction (insufficient points: neither). The
 * task is leased to this instance for the submit grace period: if the instance dies before the
 * upstream answers, the lease lapses and the reconciler fails and refunds it.
 */
export async function chargeAndCreateTask(deps: AppDeps, draft: TaskDraft): Promise<Task> {
  const publicId = newPublicId();
  const graceSeconds = deps.generation.tuning.submitGraceMs / 1000;
  const task = await deps.db.transaction().execute(async (trx) => {
    const charge =
      draft.priced.cost > 0
        ? await changePoints(trx, {
            userId: draft.userId,
            delta: -draft.priced.cost,
            type: "consume",
            description: chargeDescriptions[draft.kind],
            ref: taskRef({ public_id: publicId }),
          })
        : undefined;
    return trx
      .insertInto("tasks")
      .values({
        public_id: publicId,
        user_id: draft.userId,
        kind: draft.kind,
        model: draft.priced.model,
        upstream_model: draft.priced.upstreamModel,
        request: JSON.stringify(draft.request),
        status: "pending",
        cost: draft.priced.cost,
        charge_ledger_id: charge?.id ?? null,
        lease_owner: deps.generation.instanceId,
        lease_until: sql<Date>`now() + make_interval(secs => ${graceSeconds})`,
        next_poll_at: sql<Date>`now() + make_interval(secs => ${graceSeconds})`,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
  tasks.labels(task.kind, "pending").inc();
  return task;
}
