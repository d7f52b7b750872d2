// Node: the running version against the `engines.node` range of gt's own package.json.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DoctorCheck } from './types.js';
import { fail, ok, warn } from './types.js';

/** gt's package.json, found upwards from this file (src/ in development, dist/ when built). */
function engineRange(): string | undefined {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        engines?: { node?: string };
      };
      if (pkg.name === 'gastown') return pkg.engines?.node;
    } catch {
      // not here; keep walking up
    }
    if (dirname(dir) === dir) return undefined;
  }
}

const parts = (version: string): number[] =>
  version
    .replace(/^v/, '')
    .split('.')
    .map((n) => Number.parseInt(n, 10) || 0);

/** `version` satisfies `>=X[.Y[.Z]]`; undefined for any other form of range. */
export function satisfiesMinimum(version: string, range: string): boolean | undefined {
  const match = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(range.trim());
  if (!match) return undefined;
  const have = parts(version);
  const need = parts(match[1]!);
  for (let i = 0; i < 3; i++) {
    if ((have[i] ?? 0) !== (need[i] ?? 0)) return (have[i] ?? 0) > (need[i] ?? 0);
  }
  return true;
}

export const nodeCheck: DoctorCheck = {
  name: 'node',
  town: false,
  run: () => {
    const version = process.versions.node;
    const range = engineRange();
    if (range === undefined) return [ok('node', `node ${version} (no engines range to check against)`)];
    const fits = satisfiesMinimum(version, range);
    if (fits === undefined)
      return [warn('node', `node ${version}; cannot read the range "${range}"`, `use a node in ${range}`)];
    return fits
      ? [ok('node', `node ${version} (needs ${range})`)]
      : [
          fail(
            'node',
            `node ${version} is too old (needs ${range})`,
            `install node ${range} (e.g. \`nvm install 20\`)`,
          ),
        ];
  },
};
