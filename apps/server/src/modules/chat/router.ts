import { operations } from "@ocean1/contract";
import { protectedOperation, router } from "../../trpc.js";
import { catChat } from "./service.js";

export const chatRouter = router({
  catChat: protectedOperation(operations.catChat).mutation(({ ctx, input }) =>
    catChat(ctx.deps, { userId: ctx.user.id, log: ctx.request.log }, input),
  ),
});
