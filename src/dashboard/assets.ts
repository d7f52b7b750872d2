// The page's compiled script (`dist/dashboard/app.js`, built from `web/` by `npm run build`). Found
// from the package root, wherever this module runs from: `src/` under vitest, `dist/src/` after tsc,
// `dist/bin/` in the bundled CLI. Read once and kept: it never changes while the daemon runs.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(from = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'dist'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

export const scriptPath = (root: string): string => join(root, 'dist', 'dashboard', 'app.js');

let cached: string | undefined;

/** The page script, or undefined when the package was not built. */
export function pageScript(): string | undefined {
  if (cached !== undefined) return cached;
  const root = packageRoot();
  if (root === undefined || !existsSync(scriptPath(root))) return undefined;
  cached = readFileSync(scriptPath(root), 'utf8');
  return cached;
}
