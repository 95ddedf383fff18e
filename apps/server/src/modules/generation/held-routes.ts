import { Router, type Request, type Response } from "express";
import type { Task } from "../../db/schema.js";
import { toFailure } from "../../errors/transport.js";
import { logFailure } from "../../http/failures.js";
import { runOperation, type Context, type OperationDefinition } from "../../pipeline/run.js";
import { definitionOf } from "../../trpc.js";
import { holdAnswer } from "./held-answer.js";
import { bananaCreate, soraCreate } from "./procedures.js";
import { waitMsOf } from "../../tasks/wait.js";

/**
 * A held operation's REST path (`POST /api/proxy/sora`, `/api/proxy/banana`), which
 * trpc-to-openapi cannot write: the operation's pipeline starts the task, then the answer is held
 * with keep-alives or as an event stream (held-answer.ts).
 */
function heldRoute(operation: OperationDefinition, kind: "sora" | "banana", contextOf: (req: Request, res: Response) => Context) {
  return async (req: Request, res: Response) => {
    const context = contextOf(req, res);
    try {
      await runOperation(operation, {
        context,
        input: () => req.body ?? {},
        hold: (task) => holdAnswer(context.deps, req, res, task as Task, waitMsOf(context.deps, kind)),
      });
    } catch (error) {
      const failure = toFailure(error);
      logFailure(res, error, failure, operation.op.name);
      res.status(200).json(failure);
    }
  };
}

export function heldRoutes(contextOf: (req: Request, res: Response) => Context): Router {
  const routes = Router();
  for (const [procedure, kind] of [
    [soraCreate, "sora"],
    [bananaCreate, "banana"],
  ] as const) {
    const operation = definitionOf(procedure) as OperationDefinition;
    routes.post(operation.op.path, heldRoute(operation, kind, contextOf));
  }
  return routes;
}
