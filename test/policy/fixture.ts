// A real worktree, home and town on disk for policy tests: secrets in the home, a town with .gt/,
// a symlink inside the worktree that points outside it, a local bin in node_modules/.bin, and a
// directory standing for the session's private /tmp (`{tmp}`).
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { PolicyEnv, ToolCall } from '../../src/policy/index.js';
import { makeTempDir } from '../support/temp.js';

export interface PolicyFixture {
  town: string;
  worktree: string;
  home: string;
  outside: string;
  tmp: string;
  env: PolicyEnv;
  /** Replaces `{wt}`, `{home}`, `{town}`, `{out}` and `{tmp}` in a call's command and path. */
  place: (call: ToolCall) => ToolCall;
}

const files: Record<string, string> = {
  'town/town.yaml': 'name: test\n',
  'town/.gt/town.db': 'db',
  'town/.gt/keys/ledger.key': 'key',
  'town/alpha/rig.yaml': 'name: alpha\n',
  'town/alpha/polecats/nux/src/index.ts': 'export {};\n',
  'town/alpha/polecats/nux/src/a.ts': 'export const a = 1;\n',
  'town/alpha/polecats/nux/README.md': '# nux\n',
  'town/alpha/polecats/nux/.env': 'LOCAL=1\n',
  'town/alpha/polecats/nux/package.json': '{}\n',
  'town/alpha/polecats/nux/scripts/build.sh': 'echo build\n',
  'town/alpha/polecats/nux/.git/hooks/README': 'hooks\n',
  'town/alpha/polecats/nux/node_modules/.bin/tsc': '#!/bin/sh\n',
  'tmp/scratch.txt': 'scratch\n',
  'town/alpha/polecats/furiosa/src/index.ts': 'export {};\n',
  'home/.ssh/id_rsa': 'PRIVATE KEY',
  'home/.aws/credentials': '[default]',
  'home/.gnupg/pubring.kbx': 'gpg',
  'home/.config/gh/hosts.yml': 'token',
  'home/.bashrc': '# rc',
  'home/projects/other/README.md': '# other',
  'outside/file.txt': 'outside',
  'outside/.env': 'SECRET=1\n',
};

export async function makePolicyFixture(): Promise<PolicyFixture> {
  const scratch = await makeTempDir('gt-policy');
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(scratch, path)), { recursive: true });
    await writeFile(join(scratch, path), text);
  }
  const town = join(scratch, 'town');
  const worktree = join(town, 'alpha', 'polecats', 'nux');
  const home = join(scratch, 'home');
  const outside = join(scratch, 'outside');
  const tmp = join(scratch, 'tmp');
  await symlink(outside, join(worktree, 'link-out'));
  await symlink(join(home, '.ssh', 'id_rsa'), join(worktree, 'key-link'));
  const swap = (text: string) =>
    text
      .replaceAll('{wt}', worktree)
      .replaceAll('{home}', home)
      .replaceAll('{town}', town)
      .replaceAll('{out}', outside)
      .replaceAll('{tmp}', tmp);
  const place = (call: ToolCall): ToolCall => {
    const placed = { ...call };
    if (placed.command !== undefined) placed.command = swap(placed.command);
    if (placed.path !== undefined) placed.path = swap(placed.path);
    return placed;
  };
  return { town, worktree, home, outside, tmp, env: { worktree, home, townRoot: town, tmp }, place };
}
