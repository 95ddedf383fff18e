import { operations } from "@ocean1/contract";
import { protectedQuery, router } from "../../trpc.js";
import { getHistory } from "./history.js";

export const pointsRouter = router({
  getHistory: protectedQuery(operations.getHistory, ({ ctx, input }) => getHistory(ctx.deps, ctx.user.id, input)),
});
