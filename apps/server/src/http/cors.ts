import { authHeaders } from "@ocean1/contract";
import cors from "cors";
import type { Config } from "../config.js";

/** The frontend sends `Content-Type: application/json`, `x-device-id` and `x-user-email` on every call. */
export function corsMiddleware(config: Config) {
  return cors({
    origin: config.corsOrigins === "*" ? "*" : config.corsOrigins,
    methods: ["GET", "POST", "OPTIONS"],
    allowedHeaders: ["Content-Type", authHeaders.deviceId, authHeaders.email, "x-request-id", "Accept"],
    exposedHeaders: ["x-request-id"],
    maxAge: 86_400,
  });
}
