import { operations } from "@ocean1/contract";
import { protectedMutation, protectedQuery, router } from "../../trpc.js";
import { toCreateAnswer } from "./answers.js";
import { createBananaTask, createSoraTask } from "./grsai-tasks.js";
import { jimengAnswer } from "./jimeng-routes.js";
import { createJimengTask } from "./jimeng-tasks.js";
import { listTasks, queryResult } from "./result.js";
import { waitForTask, waitMsOf } from "./wait.js";

/**
 * Over tRPC the create calls hold until the task ends or the configured wait passes. Their REST
 * paths are served by `held-routes.ts` (whitespace keep-alives, event stream), mounted first.
 */
export const generationRouter = router({
  soraCreate: protectedMutation(operations.soraCreate, async ({ ctx, input }) =>
    toCreateAnswer(await waitForTask(ctx.deps, await createSoraTask(ctx.deps, ctx.user.id, input), waitMsOf(ctx.deps, "sora"))),
  ),
  bananaCreate: protectedMutation(operations.bananaCreate, async ({ ctx, input }) =>
    toCreateAnswer(await waitForTask(ctx.deps, await createBananaTask(ctx.deps, ctx.user.id, input), waitMsOf(ctx.deps, "banana"))),
  ),
  // Jimeng answers at once; the work goes on in the background (multipart: jimeng-routes.ts).
  jimengVideoCreate: protectedMutation(operations.jimengVideoCreate, async ({ ctx, input }) =>
    jimengAnswer(await createJimengTask(ctx.deps, ctx.user.id, "jimeng_video", input)),
  ),
  jimengImageCreate: protectedMutation(operations.jimengImageCreate, async ({ ctx, input }) =>
    jimengAnswer(await createJimengTask(ctx.deps, ctx.user.id, "jimeng_image", input)),
  ),
  queryResult: protectedMutation(operations.queryResult, ({ ctx, input }) => queryResult(ctx.deps, ctx.user.id, input)),
  listTasks: protectedQuery(operations.listTasks, ({ ctx, input }) => listTasks(ctx.deps, ctx.user.id, input)),
});
