import { operations } from "@ocean1/contract";
import { protectedOperation, router } from "../../trpc.js";
import { toCreateAnswer } from "./answers.js";
import { createBananaTask, createSoraTask } from "./grsai-tasks.js";
import { listTasks, queryResult } from "./result.js";
import { waitForTask, waitMsOf } from "./wait.js";

/**
 * Over tRPC the create calls hold until the task ends or the configured wait passes. Their REST
 * paths are served by `held-routes.ts` (whitespace keep-alives, event stream), mounted first.
 */
export const generationRouter = router({
  soraCreate: protectedOperation(operations.soraCreate).mutation(async ({ ctx, input }) =>
    toCreateAnswer(await waitForTask(ctx.deps, await createSoraTask(ctx.deps, ctx.user.id, input), waitMsOf(ctx.deps, "sora"))),
  ),
  bananaCreate: protectedOperation(operations.bananaCreate).mutation(async ({ ctx, input }) =>
    toCreateAnswer(await waitForTask(ctx.deps, await createBananaTask(ctx.deps, ctx.user.id, input), waitMsOf(ctx.deps, "banana"))),
  ),
  queryResult: protectedOperation(operations.queryResult).mutation(({ ctx, input }) => queryResult(ctx.deps, ctx.user.id, input)),
  listTasks: protectedOperation(operations.listTasks).query(({ ctx, input }) => listTasks(ctx.deps, ctx.user.id, input)),
});
