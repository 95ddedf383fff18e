import { operations } from "@ocean1/contract";
import { protectedOperation, router } from "../../trpc.js";
import { getHistory } from "./history.js";

export const pointsRouter = router({
  getHistory: protectedOperation(operations.getHistory).query(({ ctx, input }) => getHistory(ctx.deps, ctx.user.id, input)),
});
