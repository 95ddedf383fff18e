import type { Request, Response, Router } from "express";
import { heldRoutes } from "./modules/generation/held-routes.js";
import { multipartRoutes } from "./modules/generation/multipart-routes.js";
import type { Context } from "./pipeline/run.js";

/**
 * Express routes for the carriages trpc-to-openapi cannot write or read (a held answer, a
 * multipart upload): each runs its operation through the one pipeline (pipeline/run.ts), is
 * mounted ahead of the REST dispatcher, and is added to the OpenAPI document by its module.
 */
export const moduleRoutes: Array<(contextOf: (req: Request, res: Response) => Context) => Router> = [heldRoutes, multipartRoutes];
