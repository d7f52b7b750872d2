// One daemon per town: `.gt/daemon.json` names its pid; a second `gt up` finds it alive and says so.
// A file left by a daemon that died (kill -9) is recognised as stale and replaced.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processLive } from '../town/process-live.js';

export interface DaemonRecord {
  pid: number;
  started_at: string;
  state: 'starting' | 'running' | 'stopping';
}

export const daemonFile = (gtDir: string): string => join(gtDir, 'daemon.json');
export const daemonLog = (gtDir: string): string => join(gtDir, 'daemon.log');

export { processLive };

/** The running daemon of the town, if any (stale files are ignored). */
export function readDaemon(gtDir: string): DaemonRecord | undefined {
  const file = daemonFile(gtDir);
  if (!existsSync(file)) return undefined;
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as DaemonRecord;
    return processLive(record.pid) ? record : undefined;
  } catch {
    return undefined;
  }
}

export function writeDaemon(gtDir: string, record: DaemonRecord): void {
  const file = daemonFile(gtDir);
  writeFileSync(`${file}.tmp`, JSON.stringify(record));
  writeFileSync(file, JSON.stringify(record));
  rmSync(`${file}.tmp`, { force: true });
}

export function clearDaemon(gtDir: string, pid: number): void {
  const file = daemonFile(gtDir);
  if (!existsSync(file)) return;
  try {
    if ((JSON.parse(readFileSync(file, 'utf8')) as DaemonRecord).pid === pid) rmSync(file, { force: true });
  } catch {
    rmSync(file, { force: true });
  }
}
