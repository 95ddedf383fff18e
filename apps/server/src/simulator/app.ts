import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express, { Router } from "express";
import { chatSimulatorRoutes } from "../providers/openai-chat/simulator.js";
import { grsaiSimulatorRoutes } from "../providers/grsai/simulator.js";
import { jimengSimulatorRoutes } from "../providers/jimeng/simulator.js";
import { gradientPng } from "./png.js";
import { SimulatorState, type SimulatorOptions } from "./state.js";

/** A 2 s, 64×64 H.264 MP4 of a few KB, committed once (made with ffmpeg's test source). */
const sampleVideo = readFileSync(new URL("../../assets/simulator/sample.mp4", import.meta.url));

/** The result files a simulated task points at, served by the simulator itself. */
function resultFiles(): Router {
  const files = Router();
  files.get("/files/:name", (req, res) => {
    const [, extension] = /\.(png|mp4)$/.exec(req.params.name) ?? [];
    if (extension === "mp4") return void res.type("video/mp4").send(sampleVideo);
    if (extension === "png") return void res.type("image/png").send(gradientPng(64, 64, req.params.name.length * 13));
    res.status(404).end();
  });
  return files;
}

/**
 * The upstream simulator (OCEAN1_SIMULATOR=1): one express app composed of one router per
 * protocol, speaking real HTTP so that the adapters run exactly as against the real providers.
 */
export function createSimulatorApp(state: SimulatorState): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(express.json({ limit: "20mb" }));
  // One router per protocol.
  app.use(grsaiSimulatorRoutes(state));
  app.use(jimengSimulatorRoutes(state));
  app.use(chatSimulatorRoutes());
  app.use(resultFiles());
  app.get("/_simulator/stats", (_req, res) => {
    res.json({ requests: state.counts, tasks: state.tasks.size });
  });
  return app;
}

export interface RunningSimulator {
  url: string;
  state: SimulatorState;
  close(): Promise<void>;
}

export const defaultSimulatorOptions: SimulatorOptions = { taskMs: 4000 };

/** Starts the simulator on `host:port` (port 0: a free one) and answers its URL. */
export async function startSimulator(
  options: Partial<SimulatorOptions> & { port?: number; host?: string } = {},
): Promise<RunningSimulator> {
  const state = new SimulatorState({ ...defaultSimulatorOptions, ...options });
  const server: Server = createSimulatorApp(state).listen(options.port ?? 0, options.host ?? "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
