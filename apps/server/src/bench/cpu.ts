import { readdirSync, readFileSync } from "node:fs";

const clockTicks = 100;

interface Stat {
  ppid: number;
  cpu: number;
  /** CPU of its children that have exited and been waited for (cutime + cstime). */
  reaped: number;
}

function statOf(pid: string): Stat | undefined {
  try {
    // Fields after the command name (which may hold spaces): state ppid … utime(14) stime(15) cutime(16) cstime(17).
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return {
      ppid: Number(fields[1]),
      cpu: (Number(fields[11]) + Number(fields[12])) / clockTicks,
      reaped: (Number(fields[13]) + Number(fields[14])) / clockTicks,
    };
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds (user + system, all threads) used so far by a process and its descendants (Linux
 * /proc): the living ones, and through the root's own account those that have exited (a
 * PostgreSQL backend that ends between two readings still counts, so the figure never goes back).
 */
export function treeCpuSeconds(rootPid: number): number {
  const stats = new Map<number, Stat>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = statOf(entry);
    if (stat) stats.set(Number(entry), stat);
  }
  const inTree = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 16; hops++) {
      if (p === rootPid) return true;
      p = stats.get(p)?.ppid ?? 0;
    }
    return false;
  };
  let total = stats.get(rootPid)?.reaped ?? 0;
  for (const [pid, stat] of stats) if (inTree(pid)) total += stat.cpu;
  return total;
}

/** The postmaster's pid, from the first line of `postmaster.pid` in the data directory. */
export function postmasterPid(dataDir: string): number {
  return Number(readFileSync(`${dataDir}/postmaster.pid`, "utf8").split("\n")[0]);
}
