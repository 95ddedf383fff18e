import { randomBytes } from "node:crypto";
import type { TaskKind } from "@ocean1/contract";
import { sql } from "kysely";
import type { AppDeps } from "../deps.js";
import type { Task } from "../db/schema.js";
import { tasks } from "../metrics/metrics.js";
import { changePoints } from "../modules/points/ledger.js";
import type { UploadedImage } from "../providers/provider.js";
import type { PricedRequest } from "../modules/generation/pricing.js";
import type { TaskRoute } from "../providers/registry.js";
import { taskRef } from "../modules/points/refs.js";

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
  /** A reference image, kept in the database until the task is final. */
  upload?: UploadedImage | undefined;
  /**
   * Its provider and endpoint, recorded on the task. A synchronous provider's call is run by this
   * instance: the task is leased for `leaseMs` and renewed while it runs, instead of the submit grace period.
   */
  route: TaskRoute;
}

/**
 * Charges the price and creates the task (and keeps its upload) in one transaction (insufficient
 * points: none of it). The task is leased to this instance for the submit grace period, or while
 * its synchronous call runs: if the instance dies first, the lease lapses and the reconciler fails
 * and refunds it.
 */
export async function chargeAndCreateTask(deps: AppDeps, draft: TaskDraft): Promise<Task> {
  const publicId = newPublicId();
  const { tuning } = deps.generation;
  const leaseSeconds = (draft.route.provider.mode === "sync" ? tuning.leaseMs : tuning.submitGraceMs) / 1000;
  const created = await deps.db.transaction().execute(async (trx) => {
    const charge =
      draft.priced.cost > 0
        ? await changePoints(trx, {
            userId: draft.userId,
            delta: -draft.priced.cost,
            type: "consume",
            description: chargeDescriptions[draft.kind],
            ref: taskRef(publicId),
          })
        : undefined;
    const task = await trx
      .insertInto("tasks")
      .values({
        public_id: publicId,
        user_id: draft.userId,
        kind: draft.kind,
        provider: draft.route.provider.name,
        endpoint: draft.route.endpointName,
        model: draft.priced.model,
        upstream_model: draft.priced.upstreamModel,
        request: JSON.stringify(draft.request),
        options: JSON.stringify(draft.priced.produced),
        status: "pending",
        cost: draft.priced.cost,
        charge_ledger_id: charge?.id ?? null,
        lease_owner: deps.generation.instanceId,
        lease_until: sql<Date>`now() + make_interval(secs => ${leaseSeconds})`,
        next_poll_at: sql<Date>`now() + make_interval(secs => ${leaseSeconds})`,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (draft.upload) {
      await trx
        .insertInto("task_uploads")
        .values({ task_id: task.id, content_type: draft.upload.contentType, bytes: draft.upload.bytes })
        .execute();
    }
    return task;
  });
  tasks.labels(created.kind, "pending").inc();
  return created;
}
