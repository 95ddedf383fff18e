import { operations } from "@ocean1/contract";
import { publicMutation, router } from "../../trpc.js";
import { heartbeat } from "./heartbeat.js";

export const userRouter = router({
  // Public: an unknown or ended session is an answer here (`rejected`), not a failure.
  heartbeat: publicMutation(operations.heartbeat, ({ ctx, input }) => heartbeat(ctx.deps, input, ctx.request)),
});
