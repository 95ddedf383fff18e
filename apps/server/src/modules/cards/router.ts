import { operations } from "@ocean1/contract";
import { protectedMutation, router } from "../../trpc.js";
import { redeemCard } from "./redeem.js";

export const cardsRouter = router({
  redeemCard: protectedMutation(operations.redeemCard, ({ ctx, input }) =>
    redeemCard(ctx.deps, { userId: ctx.user.id, email: ctx.user.email, ip: ctx.request.ip }, input),
  ),
});
