// Disk space: free bytes on the filesystem that holds the town (or the current directory).
import { statfsSync } from 'node:fs';
import type { DoctorCheck } from './types.js';
import { fail, ok, warn } from './types.js';

const gib = (bytes: number): string => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

export const diskCheck: DoctorCheck = {
  name: 'disk',
  town: false,
  run: (ctx) => {
    const where = ctx.root ?? process.cwd();
    const stats = statfsSync(where);
    const free = stats.bavail * stats.bsize;
    const fix = `free space on the filesystem of ${where} (old worktrees, \`git gc\` in each rig's repo.git)`;
    if (free === 0) return [fail('disk', `no free space at ${where}`, fix)];
    if (free < ctx.diskWarnBytes)
      return [warn('disk', `${gib(free)} free at ${where} (under ${gib(ctx.diskWarnBytes)})`, fix)];
    return [ok('disk', `${gib(free)} free at ${where}`)];
  },
};
