import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { chatSimulatorRoutes, type ChatSimulatorOptions } from "../providers/openai-chat/simulator.js";

export interface RecordedChatRequest {
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export interface ChatUpstream {
  /** Base URL to configure as CHAT_BASE_URL. */
  url: string;
  /** Every request that reached the server, in order. */
  requests: RecordedChatRequest[];
  close(): Promise<void>;
}

/** A local HTTP server speaking the OpenAI chat protocol (the simulator's routes), recording what it is sent. */
export async function startChatUpstream(options: ChatSimulatorOptions = {}): Promise<ChatUpstream> {
  const requests: RecordedChatRequest[] = [];
  const app = express();
  app.use(express.json({ limit: "2mb" }), (req, _res, next) => {
    requests.push({ path: req.path, authorization: req.get("authorization"), body: req.body as unknown });
    next();
  });
  app.use(chatSimulatorRoutes(options));
  const server: Server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
