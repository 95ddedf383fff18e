import { createOcean1Client, type Ocean1Client, type Ocean1ClientOptions } from "./client.js";
import { baseUrlFromEnvironment } from "./config.js";

let configured: Partial<Ocean1ClientOptions> = {};
let instance: Ocean1Client | undefined;

/** The client behind the top-level functions, made at the first call (never at import). */
export function defaultClient(): Ocean1Client {
  instance ??= createOcean1Client({ ...configured, baseUrl: configured.baseUrl ?? baseUrlFromEnvironment() });
  return instance;
}

/** Changes what the top-level functions use: `configure({ baseUrl: "http://localhost:8000" })`. */
export function configure(options: Partial<Ocean1ClientOptions>): void {
  configured = { ...configured, ...options };
  instance = undefined;
}
