import type { Router } from "express";
import type { AppDeps } from "./deps.js";
import { generationRoutes } from "./modules/generation/held-routes.js";
import { jimengRoutes } from "./modules/generation/jimeng-routes.js";

/**
 * Express routes of modules for what trpc-to-openapi cannot carry (a multipart upload, a held
 * answer). They call the same services with the same contract schemas, are mounted ahead of the
 * REST adapter, and are added to the OpenAPI document by their module.
 */
export const moduleRoutes: Array<(deps: AppDeps) => Router> = [generationRoutes, jimengRoutes];
