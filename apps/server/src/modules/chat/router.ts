import { operations } from "@ocean1/contract";
import { protectedMutation, router } from "../../trpc.js";
import { catChat } from "./service.js";

export const chatRouter = router({
  catChat: protectedMutation(operations.catChat, ({ ctx, input }) =>
    catChat(ctx.deps, { userId: ctx.user.id, log: ctx.request.log }, input),
  ),
});
