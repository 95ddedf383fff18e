import { authRouter } from "./modules/auth/router.js";
import { payRouter } from "./modules/cards/router.js";
import { pointsRouter } from "./modules/points/router.js";
import { userRouter } from "./modules/user/router.js";
import { router } from "./trpc.js";

/** One router per domain, joined here; each procedure is also a documented REST path. */
export const appRouter = router({
  auth: authRouter,
  user: userRouter,
  points: pointsRouter,
  pay: payRouter,
});

export type AppRouter = typeof appRouter;
