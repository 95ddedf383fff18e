import { operations, type JimengCreateResponse } from "@ocean1/contract";
import type { Task } from "../../db/schema.js";
import { heldMutation, protectedMutation, protectedQuery } from "../../trpc.js";
import { toCreateAnswer } from "./answers.js";
import { createBananaTask, createJimengTask, createSoraTask } from "./service.js";
import { checkedImage } from "./multipart.js";
import { listTasks, queryResult } from "./result.js";
import { waitForTask, waitMsOf } from "../../tasks/wait.js";

function jimengAnswer(task: Pick<Task, "public_id">): JimengCreateResponse {
  return { status: "success", data: { id: task.public_id, status: "pending" } };
}

/**
 * Sora and Banana start a task and answer when it ends or the configured wait passes: over REST
 * held with keep-alives or as an event stream (held-routes.ts), over tRPC as one answer.
 */
export const soraCreate = heldMutation(operations.soraCreate, {
  start: ({ ctx, input }) => createSoraTask(ctx.deps, ctx.user.id, input),
  finish: async (ctx, task) => toCreateAnswer(await waitForTask(ctx.deps, task, waitMsOf(ctx.deps, "sora"))),
});

export const bananaCreate = heldMutation(operations.bananaCreate, {
  start: ({ ctx, input }) => createBananaTask(ctx.deps, ctx.user.id, input),
  finish: async (ctx, task) => toCreateAnswer(await waitForTask(ctx.deps, task, waitMsOf(ctx.deps, "banana"))),
});

// Jimeng answers at once; the work goes on in the background. JSON, or a multipart form (multipart-routes.ts).
export const jimengVideoCreate = protectedMutation(
  operations.jimengVideoCreate,
  async ({ ctx, input, upload }) =>
    jimengAnswer(await createJimengTask(ctx.deps, ctx.user.id, "jimeng_video", input, upload && checkedImage(upload))),
  { carriage: "multipart" },
);

export const jimengImageCreate = protectedMutation(
  operations.jimengImageCreate,
  async ({ ctx, input, upload }) =>
    jimengAnswer(await createJimengTask(ctx.deps, ctx.user.id, "jimeng_image", input, upload && checkedImage(upload))),
  { carriage: "multipart" },
);

export const queryResultProcedure = protectedMutation(operations.queryResult, ({ ctx, input }) =>
  queryResult(ctx.deps, ctx.user.id, input),
);
export const listTasksProcedure = protectedQuery(operations.listTasks, ({ ctx, input }) => listTasks(ctx.deps, ctx.user.id, input));
