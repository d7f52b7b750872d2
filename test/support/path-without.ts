// A PATH for a machine that lacks some programs: one directory of symlinks to every executable on
// this PATH except the named ones. How a test shows what `gt` does where bubblewrap (or an agent's
// binary) is not installed, without touching the machine.
import { readdirSync } from 'node:fs';
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from './temp.js';

export async function pathWithout(...missing: string[]): Promise<string> {
  const dir = await makeTempDir('gt-path');
  const seen = new Set(missing);
  for (const from of (process.env['PATH'] ?? '').split(':').filter(Boolean)) {
    let names: string[];
    try {
      names = readdirSync(from);
    } catch {
      continue;
    }
    for (const name of names) {
      if (seen.has(name)) continue;
      seen.add(name);
      await symlink(join(from, name), join(dir, name));
    }
  }
  return dir;
}
