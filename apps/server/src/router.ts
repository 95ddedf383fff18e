import { authRouter } from "./modules/auth/router.js";
import { cardsRouter } from "./modules/cards/router.js";
import { generationRouter } from "./modules/generation/router.js";
import { chatRouter } from "./modules/chat/router.js";
import { pointsRouter } from "./modules/points/router.js";
import { userRouter } from "./modules/user/router.js";
import { mergeRouters } from "./trpc.js";

/**
 * One router per domain, merged flat: every procedure is named as its operation in the contract
 * (`login`, `getHistory`, `redeemCard`, …), so the client needs no mapping table. Each is also a
 * documented REST path.
 */
export const appRouter = mergeRouters(authRouter, userRouter, pointsRouter, cardsRouter, generationRouter, chatRouter);

export type AppRouter = typeof appRouter;
