import type { Request, Response } from "express";
import type { AppDeps } from "../../deps.js";
import type { Task } from "../../db/schema.js";
import { toCreateAnswer, toSnapshot } from "./answers.js";
import { isFinal, type Waiter } from "../../tasks/watcher.js";

export function wantsEventStream(req: Request): boolean {
  return (req.get("accept") ?? "").includes("text/event-stream");
}

const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * Holds the answer until the task ends or `waitMs` passes (DESIGN.md §6). As JSON: a whitespace
 * byte every keep-alive interval (a JSON body may start with whitespace), then one document. As an
 * event stream: `progress` events on each change, then `done` with that same document. A client
 * that goes away stops only its own wait: the task goes on.
 */
export function holdAnswer(deps: AppDeps, req: Request, res: Response, task: Task, waitMs: number): void {
  const stream = wantsEventStream(req);
  if (!stream && isFinal(task)) {
    res.json(toCreateAnswer(task));
    return;
  }
  res.status(200);
  res.setHeader("Content-Type", stream ? "text/event-stream; charset=utf-8" : "application/json; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("X-Accel-Buffering", "no"); // nginx: pass the keep-alive bytes through
  res.flushHeaders();

  let lastProgress = "";
  const progress = (current: Task) => {
    const snapshot = toSnapshot(current);
    const key = `${snapshot.status}/${snapshot.progress}`;
    if (key === lastProgress) return false;
    lastProgress = key;
    res.write(event("progress", snapshot));
    return true;
  };
  const waiter: Waiter = {
    deadline: Date.now() + waitMs,
    lastWriteAt: Date.now(),
    keepAlive() {
      res.write(stream ? ": keep-alive\n\n" : " ");
      this.lastWriteAt = Date.now();
    },
    update(current) {
      if (stream && progress(current)) this.lastWriteAt = Date.now();
    },
    finish(current) {
      if (res.writableEnded || res.destroyed) return;
      if (stream) {
        progress(current);
        res.end(event("done", toCreateAnswer(current)));
      } else res.end(JSON.stringify(toCreateAnswer(current)));
    },
  };
  if (stream) progress(task);
  const stopWatching = deps.generation.watcher.watch(task, waiter);
  res.on("close", stopWatching);
}
