// The hardened runner and the work-tree records it relies on, against real git: the admin dir is
// found from `repo.git/worktrees/*/gitdir` whatever the work tree's `.git` says; every kind of
// changed pointer is told apart from the one git wrote; our own GIT_* variables never reach git;
// a commit moves only the branch it names and leaves nested repositories out.
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkTree } from '../../src/git/index.js';
import { checkPointer, commitAll, findWorkTree, gitAt, restorePointer } from '../../src/git/index.js';
import { gitIn, makeRemote } from '../support/git-fixtures.js';
import { makeTempDir, removeTempDirs } from '../support/temp.js';

let repo: string;
let tree: WorkTree;
let pointer: string;
const who = { name: 'Test', email: 'test@example.invalid' };

beforeAll(async () => {
  const dir = await makeTempDir('gt-hardened');
  const remote = await makeRemote(dir);
  repo = join(dir, 'repo.git');
  await gitIn(dir, 'clone', '--quiet', '--bare', remote.path, repo);
  const path = join(dir, 'polecats', 'ace');
  await gitIn(repo, 'worktree', 'add', '--quiet', '-b', 'polecat/ace/b-1', path, 'main');
  tree = (await findWorkTree(repo, path))!;
  pointer = await readFile(join(path, '.git'), 'utf8');
});
afterAll(removeTempDirs);

describe('work-tree records', () => {
  it("finds the admin dir from the repository's records, not from the work tree's .git", async () => {
    expect(tree.gitDir).toBe(join(repo, 'worktrees', 'ace'));
    expect(pointer).toBe(`gitdir: ${tree.gitDir}\n`);
    await writeFile(join(tree.workTree, '.git'), `gitdir: ${join(repo, 'worktrees', 'elsewhere')}\n`);
    expect(await findWorkTree(repo, tree.workTree)).toEqual(tree);
    expect(await findWorkTree(repo, join(tree.workTree, '..'))).toBeUndefined();
    await restorePointer(tree);
  });

  it('tells every changed pointer from the one git wrote, and puts it back', async () => {
    const path = join(tree.workTree, '.git');
    expect(await checkPointer(tree)).toEqual({ ok: true });
    const changes: [string, () => Promise<void>][] = [
      ['reads', () => writeFile(path, 'gitdir: .g\n')],
      ['reads', () => writeFile(path, `${pointer}\n`)],
      ['missing', () => rm(path)],
      ['directory', () => rm(path).then(() => mkdir(path))],
      ['symbolic link', () => rm(path).then(() => symlink(join(tree.gitDir, 'gitdir'), path))],
    ];
    for (const [found, change] of changes) {
      await change();
      const state = await checkPointer(tree);
      expect(state.ok, found).toBe(false);
      if (!state.ok) expect(state.found, found).toContain(found);
      await restorePointer(tree);
      expect(await readFile(path, 'utf8')).toBe(pointer);
    }
  });
});

describe('hardened git', () => {
  it('ignores GIT_* variables of our own process', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      GIT_DIR: '/nonexistent',
      GIT_WORK_TREE: '/nonexistent',
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'user.name',
      GIT_CONFIG_VALUE_0: 'injected',
    });
    try {
      expect(await gitAt(tree, ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe('polecat/ace/b-1');
      expect((await gitAt(tree, ['config', '--list'])).includes('injected')).toBe(false);
      expect(await gitAt(tree, ['config', '--get', 'core.fsmonitor'])).toBe('false');
    } finally {
      for (const name of [
        'GIT_DIR',
        'GIT_WORK_TREE',
        'GIT_CONFIG_COUNT',
        'GIT_CONFIG_KEY_0',
        'GIT_CONFIG_VALUE_0',
      ])
        delete process.env[name];
      Object.assign(process.env, saved);
    }
  });

  it('commits onto the named branch only, and leaves nested repositories out', async () => {
    const main = await gitIn(repo, 'rev-parse', 'main');
    const tip = await gitIn(repo, 'rev-parse', 'polecat/ace/b-1');
    await writeFile(join(tree.workTree, 'work.txt'), 'work\n');
    await gitIn(tree.workTree, 'init', '--quiet', join(tree.workTree, 'sub'));
    await writeFile(join(tree.workTree, 'sub', 'inner.txt'), 'inner\n');
    const saved = await commitAll({
      tree,
      branch: 'polecat/ace/b-1',
      author: who,
      message: 'work',
      trailers: { 'Gas-Town-Bead': 'b-1' },
    });
    expect(saved.nestedRepos).toEqual(['sub']);
    expect(await gitIn(repo, 'rev-parse', 'polecat/ace/b-1')).toBe(saved.commit);
    expect(await gitIn(repo, 'rev-parse', 'polecat/ace/b-1~1')).toBe(tip);
    expect(await gitIn(repo, 'rev-parse', 'main')).toBe(main);
    const listing = await gitIn(repo, 'ls-tree', '-r', 'polecat/ace/b-1');
    expect(listing).toContain('\twork.txt');
    expect(listing).not.toContain('sub');
    expect(await gitIn(repo, 'log', '-1', '--format=%B', 'polecat/ace/b-1')).toBe(
      'work\n\nGas-Town-Bead: b-1',
    );
    // Nothing new: no commit.
    expect(
      (await commitAll({ tree, branch: 'polecat/ace/b-1', author: who, message: 'x', trailers: {} })).commit,
    ).toBeUndefined();
  });
});
