import { Router, type Request, type Response } from "express";
import { progressOf, type SimulatedTask, type SimulatorState } from "../../simulator/state.js";
import { steeringOf } from "../../simulator/steering.js";

const baseUrlOf = (req: Request) => `${req.protocol}://${req.get("host") ?? "127.0.0.1"}`;

function authorised(req: Request, res: Response): boolean {
  if (/^Bearer \S+/.test(req.get("authorization") ?? "")) return true;
  res.status(401).json({ code: 401, msg: "missing api key" });
  return false;
}

const isFinal = (status: string) => status === "succeeded" || status === "failed" || status === "violation";

/** How long a `[not-found]` task is unknown to the relay after its submit. */
const notFoundForMs = 1_500;

/** Without `webHook:"-1"`, GrsAI answers a stream of `data: {json}` lines until the task ends. */
function streamProgress(task: SimulatedTask, req: Request, res: Response): void {
  res.status(200).type("text/event-stream").flushHeaders();
  const tick = () => {
    const progress = progressOf(task, baseUrlOf(req));
    res.write(`data: ${JSON.stringify(progress)}\n\n`);
    if (isFinal(progress.status)) {
      clearInterval(timer);
      res.end();
    }
  };
  const timer = setInterval(tick, 500);
  res.on("close", () => clearInterval(timer));
  tick();
}

/** The GrsAI protocol: sora and nano-banana submits, and `/v1/draw/result`. */
export function grsaiSimulatorRoutes(state: SimulatorState): Router {
  const routes = Router();
  const submit = (kind: SimulatedTask["kind"]) => (req: Request, res: Response) => {
    state.counts.submit++;
    if (!authorised(req, res)) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const steering = steeringOf(body.prompt);
    if (steering.hang) return; // never answers: the caller's timeout decides
    if (steering.garbage) return void res.status(200).type("text/html").send("<html>502 Bad Gateway</html>");
    if (steering.reject) return void res.json({ code: -1, msg: "insufficient credits", data: null });
    if (typeof body.prompt !== "string" || typeof body.model !== "string")
      return void res.json({ code: -4, msg: "prompt and model are required", data: null });
    const task = state.create(kind, body.prompt);
    // The task exists, but the answer says HTTP 500: a resubmit would be a second billed task.
    if (steering.submitError) return void res.status(500).json({ code: 500, msg: "internal server error" });
    const accepted = { code: 0, msg: "success", data: { id: task.id } };
    if (body.webHook === "-1" && steering.framed)
      return void res
        .status(200)
        .type("text/plain")
        .send(`data: ${JSON.stringify(accepted)}\n\n`);
    if (body.webHook === "-1") return void res.json(accepted);
    streamProgress(task, req, res);
  };
  routes.post("/v1/video/sora-video", submit("video"));
  routes.post("/v1/draw/nano-banana", submit("image"));
  routes.post("/v1/draw/result", (req, res) => {
    state.counts.result++;
    if (!authorised(req, res)) return;
    const id = (req.body as { id?: unknown } | undefined)?.id;
    const task = typeof id === "string" ? state.find(id) : undefined;
    if (!task) return void res.json({ code: -22, msg: "task not found", data: null });
    if (task.steering.busy && task.busyAnswers < 2) {
      task.busyAnswers++;
      return void res.status(429).json({ code: 429, msg: "too many requests" });
    }
    if (task.steering.pollBusy && task.busyAnswers < 2) {
      task.busyAnswers++;
      return void res.json({ code: -1, msg: "system busy", data: null });
    }
    // Right after the submit the relay may not know the task yet.
    if (task.steering.notFound && Date.now() - task.createdAt < notFoundForMs)
      return void res.json({ code: -22, msg: "task not found", data: null });
    res.json({ code: 0, msg: "success", data: progressOf(task, baseUrlOf(req)) });
  });
  return routes;
}
