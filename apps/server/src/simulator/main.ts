import { parseArgs } from "node:util";
import { startSimulator } from "./app.js";

/** `pnpm simulator [--port N] [--host H] [--task-ms MS]`: the upstream simulator on its own. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: "string" }, host: { type: "string" }, "task-ms": { type: "string" } } });
  const simulator = await startSimulator({
    port: Number(values.port ?? 8100),
    host: values.host ?? "127.0.0.1",
    ...(values["task-ms"] ? { taskMs: Number(values["task-ms"]) } : {}),
  });
  console.log(`simulator listening on ${simulator.url}`);
  const stop = () => void simulator.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error("simulator failed to start:", error);
  process.exit(1);
});
