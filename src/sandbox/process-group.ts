// Killing a step with everything it started: signal a whole process group, then wait until no live
// member of it is left (read from /proc, so a zombie nobody reaps does not count as alive).
import { readFile, readdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** Sends `signal` to a pid (or to a group when negative); a process already gone is not an error. */
export function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ESRCH' && code !== 'EPERM') throw error;
  }
}

function groupIsEmpty(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

interface ProcStat {
  pid: number;
  state: string;
  pgrp: number;
}

async function readStat(pid: string): Promise<ProcStat | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid pgrp ..."; comm may hold spaces and parentheses, so split after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid: Number(pid), state: fields[0] ?? '', pgrp: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

/** Live (not zombie) processes in group `pgid`. */
export async function liveMembers(pgid: number): Promise<number[]> {
  // A group with no process at all (a step that ended with everything it started, the usual case)
  // answers ESRCH; only a group with members, zombies included, needs the /proc scan below, which
  // reads every process's stat file and used to run after every single step.
  if (pgid > 0 && groupIsEmpty(pgid)) return [];
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  const stats = await Promise.all(entries.filter((name) => /^\d+$/.test(name)).map(readStat));
  return stats
    .filter((stat): stat is ProcStat => stat !== undefined && stat.state !== 'Z' && stat.state !== 'X')
    .filter((stat) => stat.pgrp === pgid)
    .map((stat) => stat.pid);
}

/**
 * Kills what is left of group `pgid` and waits until none of it is alive, for at most `limitMs`;
 * returns the pids still alive then (normally none).
 */
export async function reapGroup(pgid: number, limitMs = 5_000): Promise<number[]> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    signalQuietly(-pgid, 'SIGKILL');
    const alive = await liveMembers(pgid);
    if (alive.length === 0 || Date.now() >= deadline) return alive;
    await sleep(10);
  }
}
