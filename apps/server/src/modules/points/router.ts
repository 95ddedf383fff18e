import { protectedProcedure, restOperation, router } from "../../trpc.js";
import { getHistory } from "./history.js";

const history = restOperation("getHistory");

export const pointsRouter = router({
  history: protectedProcedure
    .meta(history.meta)
    .input(history.input)
    .output(history.output)
    .query(({ ctx, input }) => getHistory(ctx.deps, ctx.user.id, input)),
});
