import { ZJimengOptions, type JimengImageCreateRequest, type JimengVideoCreateRequest, type TaskKind } from "@ocean1/contract";
import { sql } from "kysely";
import type { AppDeps } from "../../deps.js";
import type { Task } from "../../db/schema.js";
import { AppError } from "../../errors/app-error.js";
import { inputValidationError } from "../../errors/validation-messages.js";
import type { ProviderEndpoint } from "../../providers/endpoints.js";
import { chargeAndCreateTask } from "../../tasks/create-task.js";
import { completeTask, failTask } from "./finish.js";
import { callJimeng, type JimengCall, type UploadedImage } from "../../providers/jimeng/client.js";
import { priceRequest } from "./pricing.js";
import { upstreamMessages } from "../../providers/outcome.js";

type JimengKind = Extract<TaskKind, "jimeng_image" | "jimeng_video">;

/**
 * Creates a Jimeng task and answers at once: the charge and the task (with its upload) are
 * committed, the synchronous upstream call of minutes runs in the background on this instance.
 * Keys of the payload that the catalogue does not know are ignored.
 */
export async function createJimengTask(
  deps: AppDeps,
  userId: number,
  kind: JimengKind,
  input: JimengVideoCreateRequest | JimengImageCreateRequest,
  upload?: UploadedImage,
): Promise<Task> {
  const endpoint = deps.providers.jimeng;
  if (!endpoint) throw new AppError("PROVIDER_NOT_CONFIGURED", "即梦生成服务暂未开通（未配置 Jimeng），本次未扣除积分");
  const parsed = ZJimengOptions.safeParse(input);
  if (!parsed.success) throw inputValidationError(parsed.error);
  const options = parsed.data;
  const priced = priceRequest(deps.config.catalog, kind, options.model, {
    ratio: options.ratio,
    resolution: options.resolution,
    duration: options.duration,
  });
  const payload: Record<string, string | number> = { model: priced.upstreamModel, prompt: input.prompt, ...priced.options };
  if (options.negative_prompt) payload.negative_prompt = options.negative_prompt;
  const request = upload ? { ...payload, image: `${upload.contentType}, ${upload.bytes.length} bytes` } : payload;
  const task = await chargeAndCreateTask(deps, { userId, kind, priced, request, upload, synchronous: true });
  deps.generation.leases.add(task.id);
  // The upload is read back from the database when the call starts: queued tasks hold no bytes in memory.
  void runJimengTask(deps, endpoint, task, { kind, payload }, upload !== undefined);
  return task;
}

async function loadUpload(deps: AppDeps, taskId: number): Promise<UploadedImage | undefined> {
  const row = await deps.db.selectFrom("task_uploads").select(["bytes", "content_type"]).where("task_id", "=", taskId).executeTakeFirst();
  return row ? { bytes: row.bytes, contentType: row.content_type } : undefined;
}

/** The background half: one upstream call, then the task's end (and its upload's removal). */
async function runJimengTask(deps: AppDeps, endpoint: ProviderEndpoint, task: Task, call: JimengCall, withUpload: boolean): Promise<void> {
  const { tuning, limiter, leases, instanceId } = deps.generation;
  const log = deps.logger.child({ task: task.public_id, kind: task.kind });
  try {
    const outcome = await limiter.run("jimeng", async () => {
      const started =
        await sql`update tasks set status = 'processing', updated_at = now() where id = ${task.id} and status = 'pending' and lease_owner = ${instanceId}`.execute(
          deps.db,
        );
      // Already ended elsewhere (its lease lapsed while it waited): nothing to call.
      if (Number(started.numAffectedRows ?? 0) === 0) return undefined;
      const image = withUpload ? await loadUpload(deps, task.id) : undefined;
      if (withUpload && !image) return undefined;
      return callJimeng(endpoint, { ...call, image }, tuning.jimengTimeoutMs);
    });
    if (outcome === undefined) return;
    if (outcome.kind === "succeeded") {
      await completeTask(deps.db, task.id, outcome.url);
    } else if (outcome.kind === "failed") {
      if (outcome.operatorProblem)
        log.error({ detail: outcome.detail }, "upstream account problem: check the Jimeng account and session key");
      else log.info({ detail: outcome.detail }, "upstream task failed");
      await failTask(deps.db, task.id, { message: outcome.message, detail: outcome.detail, upstreamCalls: 1 });
    } else {
      await failTask(deps.db, task.id, {
        message: upstreamMessages.unreadable,
        detail: `unexpected outcome ${outcome.kind}`,
        upstreamCalls: 1,
      });
    }
  } catch (error) {
    log.error({ err: error }, "Jimeng task failed unexpectedly");
    await failTask(deps.db, task.id, { message: upstreamMessages.error, detail: (error as Error).message }).catch((failure: unknown) =>
      log.error({ err: failure }, "could not fail the task: its lease lapses and the reconciler refunds it"),
    );
  } finally {
    leases.remove(task.id);
  }
}
