// Daemon files: a `.gt/daemon.json` whose process is gone (a daemon killed with -9) is stale. It
// does no harm to `gt up`, which replaces it, but it tells `gt status` nothing true; --fix removes it.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { daemonFile, processLive } from '../daemon/pid-file.js';
import { townPaths } from '../town/index.js';
import type { DoctorCheck } from './types.js';
import { ok, warn } from './types.js';

function stalePid(file: string): { stale: boolean; pid: string } {
  try {
    const pid = (JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown }).pid;
    if (typeof pid !== 'number') return { stale: true, pid: 'none' };
    return { stale: !processLive(pid), pid: String(pid) };
  } catch {
    return { stale: true, pid: 'unreadable' };
  }
}

export const daemonFilesCheck: DoctorCheck = {
  name: 'daemon',
  town: true,
  run: (ctx) => {
    const file = daemonFile(townPaths(ctx.root!).gtDir);
    if (!existsSync(file)) return [ok('daemon', 'no daemon running, no stale pid file')];
    const { stale, pid } = stalePid(file);
    return stale
      ? [
          warn(
            'daemon',
            `${file} names pid ${pid}, which is not running`,
            '`gt doctor --fix` removes the stale file',
          ),
        ]
      : [ok('daemon', `daemon running (pid ${pid})`)];
  },
  repair: (ctx) => {
    const file = daemonFile(townPaths(ctx.root!).gtDir);
    if (!existsSync(file) || !stalePid(file).stale) return [];
    rmSync(file, { force: true });
    return [`removed the stale ${file}`];
  },
};
