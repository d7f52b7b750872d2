// Temporary directories for tests: real paths (symlinks resolved) under the OS temp dir, removed
// by `removeTempDirs()` — call it from `afterAll` / `afterEach`.
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

export async function makeTempDir(label = 'gt-test'): Promise<string> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), `${label}-`)));
  made.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  const dirs = made.splice(0);
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}
