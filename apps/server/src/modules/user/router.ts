import { publicProcedure, restOperation, router } from "../../trpc.js";
import { heartbeat } from "./heartbeat.js";

const heartbeatOp = restOperation("heartbeat");

export const userRouter = router({
  // Public: an unknown or ended session is an answer here (`rejected`), not a failure.
  heartbeat: publicProcedure
    .meta(heartbeatOp.meta)
    .input(heartbeatOp.input)
    .output(heartbeatOp.output)
    .mutation(({ ctx, input }) => heartbeat(ctx.deps, input, ctx.request)),
});
