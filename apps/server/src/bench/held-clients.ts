import { parentPort } from "node:worker_threads";
import { startSimulator } from "../simulator/app.js";

/**
 * The other side of `bench/held.ts`, in a worker thread so that its heap is not the server's: the
 * upstream simulator and the clients holding their sora requests open.
 */
interface Start {
  taskMs: number;
}
interface Fire {
  baseUrl: string;
  users: Array<{ email: string; device: string }>;
}

const port = parentPort;
if (!port) throw new Error("held-clients runs as a worker thread");

let simulator: Awaited<ReturnType<typeof startSimulator>> | undefined;

port.on("message", (message: { start?: Start; fire?: Fire; stop?: true }) => {
  void handle(message).catch((error: unknown) => port.postMessage({ error: String(error) }));
});

async function handle(message: { start?: Start; fire?: Fire; stop?: true }): Promise<void> {
  if (message.start) {
    simulator = await startSimulator({ taskMs: message.start.taskMs });
    port?.postMessage({ simulatorUrl: simulator.url });
  }
  if (message.fire) {
    const { baseUrl, users } = message.fire;
    let headersSeen = 0;
    const started = Date.now();
    const answers = await Promise.all(
      users.map(async ({ email, device }) => {
        const res = await fetch(`${baseUrl}/api/proxy/sora`, {
          method: "POST",
          headers: { "Content-Type": "application/json", "x-user-email": email, "x-device-id": device },
          body: JSON.stringify({ model: "sora-2", prompt: "A cat walking on the beach", aspectRatio: "16:9", duration: 10, size: "small" }),
        });
        if (++headersSeen === users.length) port?.postMessage({ allHeld: Date.now() - started });
        const text = await res.text();
        return { leadingWhitespace: text.length - text.trimStart().length, body: JSON.parse(text) as { data?: { status?: string } } };
      }),
    );
    port?.postMessage({
      done: {
        ms: Date.now() - started,
        completed: answers.filter((a) => a.body.data?.status === "completed").length,
        withWhitespace: answers.filter((a) => a.leadingWhitespace > 0).length,
        upstream: simulator?.state.counts,
      },
    });
  }
  if (message.stop) {
    await simulator?.close();
    port?.close();
  }
}
