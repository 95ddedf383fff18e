import { operations, type JimengCreateResponse } from "@ocean1/contract";
import { Router, type NextFunction, type Request, type Response } from "express";
import type { AppDeps } from "../../deps.js";
import { toFailure } from "../../errors/transport.js";
import { inputValidationError } from "../../errors/validation-messages.js";
import { logFailure } from "../../http/failures.js";
import { readAuthHeaders } from "../../trpc.js";
import { authenticate } from "../auth/authenticate.js";
import { createJimengTask } from "./jimeng-tasks.js";
import { checkedImage, readMultipart } from "./multipart.js";

export function jimengAnswer(task: { public_id: string }): JimengCreateResponse {
  return { status: "success", data: { id: task.public_id, status: "pending" } };
}

/**
 * The multipart form of the two Jimeng operations (fields as strings, the file in `image`), which
 * trpc-to-openapi cannot read. A JSON body goes on to the tRPC procedure: the same schema and service.
 */
function multipartRoute(deps: AppDeps, name: "jimengImageCreate" | "jimengVideoCreate") {
  const kind = name === "jimengImageCreate" ? "jimeng_image" : "jimeng_video";
  return async (req: Request, res: Response, next: NextFunction) => {
    if (!req.is("multipart/form-data")) return next();
    try {
      const user = await authenticate(deps, readAuthHeaders(req.headers));
      const form = await readMultipart(req);
      const input = operations[name].input.safeParse(form.fields);
      if (!input.success) throw inputValidationError(input.error);
      const image = form.image ? checkedImage(form.image) : undefined;
      res.json(jimengAnswer(await createJimengTask(deps, user.id, kind, input.data, image)));
    } catch (error) {
      const failure = toFailure(error);
      logFailure(res, error, failure, name);
      // An unread upload is dropped with the connection once the answer is out.
      res.status(200).setHeader("Connection", "close").json(failure);
    }
  };
}

export function jimengRoutes(deps: AppDeps): Router {
  const routes = Router();
  routes.post(operations.jimengVideoCreate.path, multipartRoute(deps, "jimengVideoCreate"));
  routes.post(operations.jimengImageCreate.path, multipartRoute(deps, "jimengImageCreate"));
  return routes;
}
