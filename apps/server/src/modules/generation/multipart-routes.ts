import { Router, type NextFunction, type Request, type Response } from "express";
import { toFailure } from "../../errors/transport.js";
import { logFailure } from "../../http/failures.js";
import { runOperation, type Context, type OperationDefinition, type Upload } from "../../pipeline/run.js";
import { definitionOf } from "../../trpc.js";
import { readMultipart } from "./multipart.js";
import { jimengImageCreate, jimengVideoCreate } from "./procedures.js";

/**
 * The multipart form of a multipart operation (fields as strings, the file in `image`), which
 * trpc-to-openapi cannot read: the operation's pipeline, the form read once the session check and
 * the rules have passed. A JSON body goes on to the REST dispatcher: the same operation.
 */
function multipartRoute(operation: OperationDefinition, contextOf: (req: Request, res: Response) => Context) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (!req.is("multipart/form-data")) return next();
    let upload: Upload | undefined;
    try {
      const answer = await runOperation(operation, {
        context: contextOf(req, res),
        input: async () => {
          const form = await readMultipart(req);
          upload = form.image;
          return form.fields;
        },
        upload: () => upload,
      });
      res.json(answer);
    } catch (error) {
      const failure = toFailure(error);
      logFailure(res, error, failure, operation.op.name);
      // An unread upload is dropped with the connection once the answer is out.
      res.status(200).setHeader("Connection", "close").json(failure);
    }
  };
}

export function multipartRoutes(contextOf: (req: Request, res: Response) => Context): Router {
  const routes = Router();
  for (const procedure of [jimengVideoCreate, jimengImageCreate]) {
    const operation = definitionOf(procedure) as OperationDefinition;
    routes.post(operation.op.path, multipartRoute(operation, contextOf));
  }
  return routes;
}
