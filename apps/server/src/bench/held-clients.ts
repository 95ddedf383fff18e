/** The clients of `bench/held.ts`: one held `POST /api/proxy/sora` per user, all at once. */
export interface HeldUser {
  email: string;
  device: string;
}

export interface Fired {
  /** Resolves (ms since the first request) once every answer has started (headers received). */
  allHeld: Promise<number>;
  /** Resolves once every answer ended (or, with `hangUp`, once every client hung up). */
  done: Promise<{ ms: number; started: number; completed: number; withWhitespace: number }>;
}

const body = JSON.stringify({ model: "sora-2", prompt: "A cat walking on the beach", aspectRatio: "16:9", duration: 10, size: "small" });

/** With `hangUp`, each client closes its connection as soon as the answer has started: its task runs on, unheld. */
export function fireSora(baseUrl: string, users: HeldUser[], options: { hangUp: boolean }): Fired {
  let headersSeen = 0;
  let resolveAllHeld: (ms: number) => void = () => undefined;
  const allHeld = new Promise<number>((resolve) => (resolveAllHeld = resolve));
  const started = Date.now();
  const answers = Promise.all(
    users.map(async ({ email, device }) => {
      const abort = new AbortController();
      const res = await fetch(`${baseUrl}/api/proxy/sora`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "x-user-email": email, "x-device-id": device },
        body,
        signal: abort.signal,
      });
      if (++headersSeen === users.length) resolveAllHeld(Date.now() - started);
      if (options.hangUp) {
        abort.abort();
        return { started: res.status === 200, completed: false, leadingWhitespace: 0 };
      }
      const text = await res.text();
      const answer = JSON.parse(text) as { data?: { status?: string } };
      return { started: true, completed: answer.data?.status === "completed", leadingWhitespace: text.length - text.trimStart().length };
    }),
  );
  const done = answers.then((list) => ({
    ms: Date.now() - started,
    started: list.filter((a) => a.started).length,
    completed: list.filter((a) => a.completed).length,
    withWhitespace: list.filter((a) => a.leadingWhitespace > 0).length,
  }));
  return { allHeld, done };
}
