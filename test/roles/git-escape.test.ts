// A polecat reaching for the town's git: every attack a `script` polecat can stage with shell steps
// (a self-made git dir with hooks, fsmonitor and filter drivers; its `.git`
// pointed at the Refinery's or another polecat's admin dir, or replaced by a directory, or removed;
// a nested repository; hooks and `.gitattributes` committed in the branch), and variables in our own
// environment naming another repository or config. Real git, real town, real sandbox: each test
// asserts the effect did not happen (no marker written on the host, no ref moved but the polecat's
// own branch, nothing planted in repo.git) and that the tampering was answered. The built-in policy
// now refuses these steps (`git init`, writes to `.git`: test/policy/features.test.ts); here a
// policy.yaml lets every command through, so host-side git is tested as the last line on its own.
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryEvents } from '../../src/ledger/index.js';
import { commitPolecatWork } from '../../src/roles/polecat/polecat-done.js';
import { listPolecats } from '../../src/roles/polecat/index.js';
import { runGt } from '../support/cli.js';
import { gitIn } from '../support/git-fixtures.js';
import { removeTempDirs } from '../support/temp.js';
import { makeRefineryTown, type RefineryTown } from './refinery-fixture.js';

let town: RefineryTown;
let repo: string;
/** Host files the attacks try to create; none may ever exist. */
let markers: string;

beforeAll(async () => {
  town = await makeRefineryTown();
  repo = town.repo();
  markers = join(town.scratch, 'markers');
  await mkdir(markers);
  await writeFile(
    join(town.root, 'policy.yaml'),
    'rules:\n  - match: { command: "*" }\n    decision: allow\n    reason: a policy gap, so the host-side defence is tested alone\n',
  );
});
afterAll(async () => {
  town.close();
  await removeTempDirs();
});

const marker = (name: string) => join(markers, name);

async function refValues(): Promise<Map<string, string>> {
  const out = await gitIn(repo, 'for-each-ref', '--format=%(refname) %(objectname)');
  return new Map(out.split('\n').map((line) => line.split(' ') as [string, string]));
}

async function expectNoMarker(): Promise<void> {
  expect(await readdir(markers)).toEqual([]);
  // Nothing planted in the rig's own repository either.
  expect((await readdir(join(repo, 'hooks'))).filter((f) => !f.endsWith('.sample'))).toEqual([]);
  expect(await readFile(join(repo, 'config'), 'utf8')).not.toMatch(/hooksPath|fsmonitor|filter|textconv/);
}

/** Steps that make `.g`, a git dir whose every hook, fsmonitor and driver writes a marker. */
function fakeGitDirSteps(tag: string): string[] {
  const script = (name: string) => `#!/bin/sh\\ntouch ${marker(`${tag}-${name}`)}\\ncat\\n`;
  const hooks = ['pre-commit', 'post-commit', 'post-rewrite', 'post-checkout', 'post-merge'];
  return [
    'git init --quiet --bare .g',
    ...hooks.map((hook) => `printf '${script(hook)}' > .g/hooks/${hook} && chmod +x .g/hooks/${hook}`),
    `printf '${script('fsmonitor')}' > .g/fsmon && chmod +x .g/fsmon`,
    `printf '${script('filter')}' > .g/drive && chmod +x .g/drive`,
    `printf '[core]\\n\\tfsmonitor = %s/.g/fsmon\\n\\thooksPath = %s/.g/hooks\\n[filter "x"]\\n\\tclean = %s/.g/drive\\n\\tsmudge = %s/.g/drive\\n[diff "x"]\\n\\ttextconv = %s/.g/drive\\n' "$PWD" "$PWD" "$PWD" "$PWD" "$PWD" >> .g/config`,
    "printf '* filter=x diff=x\\n' > .gitattributes",
  ];
}

async function workingPolecat(): Promise<{ name: string; worktree: string }> {
  for (;;) {
    const row = listPolecats(town.services.db, town.rig).find((p) => p.state === 'working');
    if (row?.worktree && existsSync(join(row.worktree, 'ready')))
      return { name: row.name, worktree: row.worktree };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Attacked {
  bead: string;
  polecat: string;
  worktree: string;
  branch: string;
  pointer: string;
  exitCode: number;
}

/**
 * Slings a bead whose steps stage `steps`, then wait; meanwhile `tamper` changes the worktree's
 * `.git` from outside, as if the sandbox's read-only bind had failed, so the host-side defence is
 * tested on its own. The wait ends when the test writes `go`.
 */
async function slingAndTamper(
  steps: string[],
  tamper: (worktree: string) => Promise<void>,
): Promise<Attacked> {
  const bead = await town.bead('Attack', [
    ...steps,
    'echo work > work.txt',
    'touch ready',
    'while [ ! -e go ]; do sleep 0.1; done',
  ]);
  const running = town.gt('--json', 'sling', bead, town.rig);
  const { name, worktree } = await workingPolecat();
  const pointer = await readFile(join(worktree, '.git'), 'utf8');
  await tamper(worktree);
  await writeFile(join(worktree, 'go'), '');
  const result = await running;
  return {
    bead,
    polecat: name,
    worktree,
    branch: `polecat/${name}/${bead}`,
    pointer,
    exitCode: result.exitCode,
  };
}

function tamperEvents(bead: string) {
  return queryEvents(town.services.db, { beadId: bead }).filter((e) => e.kind === 'security.tamper');
}

/** The answer to tampering: session failed, event recorded, work on its own branch, pointer back. */
async function expectAnswered(attack: Attacked, found: RegExp): Promise<void> {
  const events = tamperEvents(attack.bead);
  expect(events).toHaveLength(1);
  expect(JSON.stringify(events[0]!.payload.found)).toMatch(found);
  expect(events[0]!.payload).toMatchObject({ polecat: attack.polecat, bead: attack.bead, restored: true });
  const ended = queryEvents(town.services.db, { beadId: attack.bead }).filter(
    (e) => e.kind === 'session.ended',
  );
  expect(ended.map((e) => e.payload.outcome)).toEqual(['failure']);
  expect(String(ended[0]!.payload.summary)).toMatch(/tampered/);
  expect(await gitIn(repo, 'show', `${attack.branch}:work.txt`)).toBe('work');
  expect(await readFile(join(attack.worktree, '.git'), 'utf8')).toBe(attack.pointer);
  expect(attack.exitCode).not.toBe(0);
}

describe('a polecat reaching for the town git', () => {
  it('cannot rewrite its .git inside the sandbox; its hooks and fsmonitor never run', async () => {
    const before = await refValues();
    const bead = await town.bead('Attack in the sandbox', [
      ...fakeGitDirSteps('inside'),
      "printf 'gitdir: .g\\n' > .git",
      'echo work > work.txt',
    ]);
    const result = await town.gt('--json', 'sling', bead, town.rig);
    expect(result.exitCode).not.toBe(0); // the rewrite failed, so the session did
    const polecat = listPolecats(town.services.db, town.rig).find((p) => p.bead_id === bead)!;
    expect(await readFile(join(polecat.worktree!, '.git'), 'utf8')).toMatch(/^gitdir: \/.*\/worktrees\//);
    await expectNoMarker();
    const after = await refValues();
    for (const [ref, sha] of before) if (!ref.includes(bead)) expect(after.get(ref), ref).toBe(sha);
    expect(tamperEvents(bead)).toEqual([]);
  });

  it('bypassing the sandbox: a .git pointing at a self-made git dir is answered, nothing runs', async () => {
    const before = await refValues();
    const attack = await slingAndTamper(fakeGitDirSteps('fake'), (worktree) =>
      writeFile(join(worktree, '.git'), 'gitdir: .g\n'),
    );
    await expectAnswered(attack, /gitdir: \.g/);
    await expectNoMarker();
    const after = await refValues();
    for (const [ref, sha] of before) expect(after.get(ref), ref).toBe(sha);
    // The self-made git dir got nothing: its HEAD's branch has no commit.
    expect(existsSync(join(attack.worktree, '.g', 'refs', 'heads', 'main'))).toBe(false);
  });

  it("a .git pointing at the Refinery's or another polecat's admin dir moves neither main nor that branch", async () => {
    const other = await town.sling('Other work', ['echo other > other.txt']);
    const otherAdmin = (await readFile(join(other.worktree, '.git'), 'utf8')).trim().slice('gitdir: '.length);
    for (const admin of [join(repo, 'worktrees', 'refinery'), otherAdmin]) {
      const before = await refValues();
      const refineryHead = await readFile(join(repo, 'worktrees', 'refinery', 'HEAD'), 'utf8');
      const attack = await slingAndTamper([], (worktree) =>
        writeFile(join(worktree, '.git'), `gitdir: ${admin}\n`),
      );
      await expectAnswered(attack, /worktrees/);
      const after = await refValues();
      for (const [ref, sha] of before) expect(after.get(ref), ref).toBe(sha);
      expect(after.get('refs/heads/main')).toBe(before.get('refs/heads/main'));
      expect(after.get(`refs/heads/${other.branch}`)).toBe(other.head);
      expect(await readFile(join(repo, 'worktrees', 'refinery', 'HEAD'), 'utf8')).toBe(refineryHead);
      // The work is on the attacker's own branch, one commit on top of main.
      expect(await gitIn(repo, 'rev-parse', `${attack.branch}~1`)).toBe(before.get('refs/heads/main'));
    }
    await expectNoMarker();
  });

  it('a .git replaced by a directory with hooks and fsmonitor, or removed, is answered', async () => {
    const dirAttack = await slingAndTamper([], async (worktree) => {
      await rm(join(worktree, '.git'));
      await mkdir(join(worktree, '.git', 'hooks'), { recursive: true });
      const hook = join(worktree, '.git', 'hooks', 'post-commit');
      await writeFile(hook, `#!/bin/sh\ntouch ${marker('dir-hook')}\n`);
      await chmod(hook, 0o755);
      await writeFile(join(worktree, '.git', 'config'), `[core]\n\tfsmonitor = ${hook}\n`);
      await writeFile(join(worktree, '.git', 'HEAD'), 'ref: refs/heads/main\n');
      await mkdir(join(worktree, '.git', 'objects'));
      await mkdir(join(worktree, '.git', 'refs'));
    });
    await expectAnswered(dirAttack, /directory/);
    const goneAttack = await slingAndTamper([], (worktree) => rm(join(worktree, '.git')));
    await expectAnswered(goneAttack, /missing/);
    await expectNoMarker();
    // Put back, the pointer works again: the bead can be slung on the same polecat.
    expect(
      await gitIn(
        goneAttack.worktree,
        '-c',
        `safe.directory=${goneAttack.worktree}`,
        'rev-parse',
        '--abbrev-ref',
        'HEAD',
      ),
    ).toBe(goneAttack.branch);
  });

  it('leaves a nested repository out of the commit and never runs its fsmonitor', async () => {
    const bead = await town.bead('Nested', [
      'git init --quiet --bare .s',
      `printf '#!/bin/sh\\ntouch ${marker('nested')}\\n' > .s/fsmon && chmod +x .s/fsmon`,
      `printf '[core]\\n\\tfsmonitor = %s/.s/fsmon\\n' "$PWD" >> .s/config`,
      "mkdir sub && echo inner > sub/inner.txt && printf 'gitdir: ../.s\\n' > sub/.git",
      'echo outer > outer.txt',
    ]);
    const result = JSON.parse(await town.ok('--json', 'sling', bead, town.rig)) as { branch: string };
    const listing = await gitIn(repo, 'ls-tree', '-r', result.branch);
    expect(listing).toContain('\touter.txt');
    expect(listing).not.toMatch(/^160000 /m);
    expect(listing).not.toContain('sub/');
    const events = queryEvents(town.services.db, { beadId: bead }).filter(
      (e) => e.kind === 'security.nested_repo',
    );
    expect(events.map((e) => e.payload.paths)).toEqual([['sub']]);
    await expectNoMarker();
  });

  it('ignores GIT_* variables and global config in our environment, and hooks or drivers in the branch', async () => {
    const evil = join(town.scratch, 'evil');
    await mkdir(join(evil, 'hooks'), { recursive: true });
    const script = (name: string) => `#!/bin/sh\ntouch ${marker(`env-${name}`)}\ncat\n`;
    for (const hook of ['pre-commit', 'post-commit', 'post-merge', 'post-checkout', 'post-rewrite']) {
      await writeFile(join(evil, 'hooks', hook), script(hook), { mode: 0o755 });
    }
    await writeFile(join(evil, 'drive'), script('driver'), { mode: 0o755 });
    const drive = join(evil, 'drive');
    await writeFile(
      join(evil, 'gitconfig'),
      `[core]\n\thooksPath = ${evil}/hooks\n\tfsmonitor = ${drive}\n[filter "x"]\n\tclean = ${drive}\n\tsmudge = ${drive}\n[diff "x"]\n\ttextconv = ${drive}\n\tcommand = ${drive}\n[merge "x"]\n\tdriver = ${drive}\n`,
    );
    const elsewhere = join(evil, 'elsewhere.git');
    await gitIn(evil, 'init', '--quiet', '--bare', elsewhere);
    const env: Record<string, string> = {
      GIT_DIR: elsewhere,
      GIT_WORK_TREE: evil,
      GIT_INDEX_FILE: join(evil, 'index'),
      GIT_CONFIG_GLOBAL: join(evil, 'gitconfig'),
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: 'core.hooksPath',
      GIT_CONFIG_VALUE_0: join(evil, 'hooks'),
      GIT_CONFIG_KEY_1: 'core.fsmonitor',
      GIT_CONFIG_VALUE_1: drive,
    };
    // The branch carries hooks of its own and attributes naming drivers nothing trusted defines.
    const branchHooks = ['pre-commit', 'post-commit', 'post-merge', 'post-checkout'].map(
      (hook) => `printf '${script(`branch-${hook}`)}' > .githooks/${hook} && chmod +x .githooks/${hook}`,
    );
    const slingWithEnv = async (file: string) => {
      const bead = await town.bead(`Data ${file}`, [
        'mkdir -p .githooks',
        ...branchHooks,
        "printf '* filter=x diff=x merge=x\n' > .gitattributes",
        `echo ${file} > ${file}`,
      ]);
      const out = await runGt(['--town', town.root, '--json', 'sling', bead, town.rig], { env });
      expect(out.exitCode, out.stderr).toBe(0);
      const result = JSON.parse(out.stdout) as {
        polecat: string;
        branch: string;
        commit: string;
        worktree: string;
      };
      expect(await gitIn(repo, 'show', `${result.branch}:${file}`)).toBe(file);
      return {
        bead,
        rig: town.rig,
        polecat: result.polecat,
        branch: result.branch,
        head: result.commit,
        worktree: result.worktree,
      };
    };
    const first = await slingWithEnv('one.txt');
    const second = await slingWithEnv('two.txt');
    expect(await gitIn(elsewhere, 'for-each-ref')).toBe('');
    // The Refinery lands both (a fast-forward, then a rebase onto the moved target) with the same
    // variables in its own process's environment.
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      town.enqueue(first);
      town.enqueue(second);
      const refinery = town.refinery();
      expect(await refinery.tick()).toBe('merged');
      expect(await refinery.tick()).toBe('merged');
    } finally {
      for (const name of Object.keys(env)) delete process.env[name];
      Object.assign(process.env, saved);
    }
    expect(await gitIn(repo, 'show', 'main:one.txt')).toBe('one.txt');
    expect(await gitIn(repo, 'show', 'main:two.txt')).toBe('two.txt');
    expect(await gitIn(elsewhere, 'for-each-ref')).toBe('');
    expect(existsSync(join(evil, 'index'))).toBe(false);
    await expectNoMarker();
  });

  it('a HEAD moved to another branch is tampering: the work still lands on the own branch only', async () => {
    const slung = await town.sling('Head', ['echo head > head.txt']);
    const admin = (await readFile(join(slung.worktree, '.git'), 'utf8')).trim().slice('gitdir: '.length);
    const before = await refValues();
    // As if a step had reached the admin dir: HEAD now names main.
    await writeFile(join(admin, 'HEAD'), 'ref: refs/heads/main\n');
    await writeFile(join(slung.worktree, 'later.txt'), 'later\n');
    const saved = await commitPolecatWork(
      town.services,
      {
        rig: town.rig,
        polecat: slung.polecat,
        bead: { id: slung.bead },
        spec: { worktree: slung.worktree },
        branch: slung.branch,
      },
      'ses-test',
      'more',
    );
    expect(saved.tamper?.code).toBe('security_tamper');
    expect(saved.tamper?.retryable).toBe(false);
    const after = await refValues();
    expect(after.get('refs/heads/main')).toBe(before.get('refs/heads/main'));
    expect(await gitIn(repo, 'rev-parse', `${slung.branch}~1`)).toBe(slung.head);
    expect(await gitIn(repo, 'show', `${slung.branch}:later.txt`)).toBe('later');
    expect(await readFile(join(admin, 'HEAD'), 'utf8')).toBe(`ref: refs/heads/${slung.branch}\n`);
    expect(JSON.stringify(tamperEvents(slung.bead)[0]?.payload.found)).toContain(
      'HEAD names refs/heads/main',
    );
  });
});
