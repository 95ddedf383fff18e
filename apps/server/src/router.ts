import { router } from "./trpc.js";

/** One router per domain, joined here; each procedure is also a documented REST path. */
export const appRouter = router({});

export type AppRouter = typeof appRouter;
