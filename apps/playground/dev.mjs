// `pnpm dev`: the server (simulator upstream, embedded database) and the playground, together.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createServer } from "vite";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../..");

const server = spawn(process.execPath, [path.join(repoRoot, "apps/server/dist/main.js"), "--stop-with-parent"], {
  cwd: repoRoot,
  env: { ...process.env, OCEAN1_SIMULATOR: process.env.OCEAN1_SIMULATOR ?? "1" },
  stdio: ["ignore", "pipe", "inherit"],
});

const serverUrl = await new Promise((resolve, reject) => {
  let output = "";
  server.stdout.on("data", (chunk) => {
    process.stdout.write(chunk);
    output += chunk.toString();
    const match = /listening on http:\/\/([^:\s]+):(\d+)/.exec(output);
    if (match) resolve(`http://${match[1] === "0.0.0.0" ? "localhost" : match[1]}:${match[2]}`);
  });
  server.once("exit", (code) => reject(new Error(`the server exited with ${code}`)));
});

process.env.VITE_API_BASE_URL = serverUrl;
const vite = await createServer({ root: here, logLevel: "warn" });
await vite.listen();
const playgroundUrl = vite.resolvedUrls?.local[0] ?? "";

console.log(`\n  Ocean1 API:         ${serverUrl}   (docs: ${serverUrl}/docs)`);
console.log(`  Ocean1 playground:  ${playgroundUrl}`);
console.log(`  Codes of sign-up and new-device emails are printed above and kept in .ocean1/outbox/.\n`);

async function stop() {
  await vite.close();
  server.kill("SIGTERM");
}
process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());
server.once("exit", (code) => {
  void vite.close().then(() => process.exit(code ?? 0));
});
