import { readFileSync } from "node:fs";

/** The parent of a process on Linux (from /proc), or undefined elsewhere or when it is gone. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (command) state ppid …": the command may contain spaces, so read after its closing parenthesis.
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Calls `onOrphaned` once when the process that started this one, or the one that started it, exits
 * (seen as a change of parent: an orphan is re-parented to init or a subreaper). `pnpm start` needs it:
 * `npx pnpm start` killed leaves pnpm running as an orphan, and pnpm does not stop its script.
 */
export function watchParent(onOrphaned: () => void, parent = process.ppid, intervalMs = 500): () => void {
  const grandparent = parentOf(parent);
  const timer = setInterval(() => {
    if (process.ppid === parent && parentOf(parent) === grandparent) return;
    clearInterval(timer);
    onOrphaned();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
