// Whether a process id is a live process: used by the daemon for its pid file and by the Deacon
// for polecat sessions, so it sits below both.
import { readFileSync } from 'node:fs';

/** Alive and not a zombie (a killed daemon whose parent has not reaped it is gone for us). */
export function processLive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return !(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? false);
  } catch {
    return true;
  }
}
