import { protectedProcedure, restOperation, router } from "../../trpc.js";
import { redeemCard } from "./redeem.js";

const redeem = restOperation("redeemCard");

export const payRouter = router({
  redeem: protectedProcedure
    .meta(redeem.meta)
    .input(redeem.input)
    .output(redeem.output)
    .mutation(({ ctx, input }) => redeemCard(ctx.deps, { userId: ctx.user.id, email: ctx.user.email, ip: ctx.request.ip }, input)),
});
