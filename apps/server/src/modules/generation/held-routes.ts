import { operations } from "@ocean1/contract";
import { Router, type Request, type Response } from "express";
import type { z } from "zod";
import type { AppDeps } from "../../deps.js";
import type { Task } from "../../db/schema.js";
import { toFailure } from "../../errors/transport.js";
import { inputValidationError } from "../../errors/validation-messages.js";
import { logFailure } from "../../http/failures.js";
import { readAuthHeaders } from "../../trpc.js";
import { authenticate } from "../auth/authenticate.js";
import { createBananaTask, createSoraTask } from "./grsai-tasks.js";
import { holdAnswer } from "./held-answer.js";
import { waitMsOf } from "./wait.js";

type Create<I> = (deps: AppDeps, userId: number, input: I) => Promise<Task>;

/**
 * `POST /api/proxy/sora` and `/api/proxy/banana` as held answers, which trpc-to-openapi cannot
 * write. The same session check, contract schema and service as the tRPC procedures.
 */
function heldCreateRoute<I>(deps: AppDeps, kind: "sora" | "banana", schema: z.ZodType<I>, create: Create<I>) {
  return async (req: Request, res: Response) => {
    let task: Task;
    try {
      const user = await authenticate(deps, readAuthHeaders(req.headers));
      const input = schema.safeParse(req.body ?? {});
      if (!input.success) throw inputValidationError(input.error);
      task = await create(deps, user.id, input.data);
    } catch (error) {
      const failure = toFailure(error);
      logFailure(res, error, failure, kind);
      res.status(200).json(failure);
      return;
    }
    holdAnswer(deps, req, res, task, waitMsOf(deps, kind));
  };
}

export function generationRoutes(deps: AppDeps): Router {
  const routes = Router();
  routes.post(operations.soraCreate.path, heldCreateRoute(deps, "sora", operations.soraCreate.input, createSoraTask));
  routes.post(operations.bananaCreate.path, heldCreateRoute(deps, "banana", operations.bananaCreate.input, createBananaTask));
  return routes;
}
