// `gt sling` end to end through the binary: a polecat gets a worktree on its own branch, runs the
// bead's steps in the sandbox through the policy, and commits with trailers; failures, denials,
// approvals and budgets each end the way the issue says.
import { execa } from 'execa';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gtBin } from '../support/cli.js';
import { gitIn } from '../support/git-fixtures.js';
import { makeRigTown } from '../support/rig-town.js';

interface Event {
  kind: string;
  actor: string;
  payload: Record<string, unknown>;
}

async function events(town: Awaited<ReturnType<typeof makeRigTown>>, bead: string): Promise<Event[]> {
  const out = await town.ok('--json', 'feed', '--bead', bead, '-n', '0');
  return out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Event);
}

describe('gt sling', () => {
  it('runs the steps in a worktree and commits on the polecat branch with trailers', async () => {
    const town = await makeRigTown();
    const bead = await town.bead('Add a greeting', [
      'echo hello > greeting.txt',
      'test "$(cat greeting.txt)" = hello',
    ]);
    const out = await town.ok('sling', bead, 'web');
    expect(out).toContain(`Slung ${bead} on web/polecats/furiosa (branch polecat/furiosa/${bead})`);
    expect(out).toContain('Done: all 2 step(s) succeeded');
    const repo = join(town.root, 'web', 'repo.git');
    const branch = `polecat/furiosa/${bead}`;
    expect(await gitIn(repo, 'log', '-1', '--format=%an <%ae>', branch)).toBe(
      'web/polecats/furiosa <furiosa@web.polecats.gastown.invalid>',
    );
    const body = await gitIn(repo, 'log', '-1', '--format=%B', branch);
    expect(body).toContain(`Gas-Town-Bead: ${bead}`);
    expect(body).toMatch(/Gas-Town-Session: ses-[0-9a-f]{12}/);
    expect(await gitIn(repo, 'show', `${branch}:greeting.txt`)).toBe('hello');
    expect(await gitIn(repo, 'rev-parse', 'main')).toBe(await gitIn(repo, 'rev-parse', `${branch}~1`));
    const shown = JSON.parse(await town.ok('--json', 'bd', 'show', bead)) as {
      status: string;
      assignee: string;
      labels: string[];
    }[];
    expect(shown[0]).toMatchObject({
      status: 'in_progress',
      assignee: 'web/polecats/furiosa',
      labels: ['gt:review'],
    });
    const kinds = (await events(town, bead)).map((e) => e.kind);
    // The agent's own messages interleave with its tool calls as the two run concurrently.
    expect(kinds).toContain('agent.message');
    expect(kinds.filter((k) => k !== 'agent.message')).toEqual([
      'bead.created',
      'bead.hooked',
      'session.started',
      'bead.claimed',
      'tool.call',
      'tool.result',
      'tool.call',
      'tool.result',
      'label.added',
      'polecat.done',
      'session.ended',
    ]);
    const polecats = JSON.parse(await town.ok('--json', 'polecat', 'list')) as {
      name: string;
      state: string;
    }[];
    expect(polecats).toMatchObject([{ name: 'furiosa', state: 'review' }]);
    // The next sling takes the next free name of the pool.
    const second = await town.bead('Another', ['touch other.txt']);
    expect(await town.ok('sling', second, 'web')).toContain('web/polecats/nux');
  });

  it('stops at a failing step, comments the output on the bead and keeps the work', async () => {
    const town = await makeRigTown();
    const bead = await town.bead('Break the build', [
      'echo partial > part.txt',
      'echo "compile error in main.c" >&2; exit 3',
      'echo never > never.txt',
    ]);
    const result = await town.gt('sling', bead, 'web');
    expect(result.exitCode).toBe(4);
    expect(result.stdout).toContain('Failed: step 2');
    const [shown] = JSON.parse(await town.ok('--json', 'bd', 'show', bead)) as {
      status: string;
      assignee?: string;
      comments: { text: string }[];
    }[];
    expect(shown!.status).toBe('open');
    expect(shown!.assignee).toBeUndefined();
    expect(shown!.comments.at(-1)!.text).toContain('compile error in main.c');
    const repo = join(town.root, 'web', 'repo.git');
    const branch = `polecat/furiosa/${bead}`;
    expect(await gitIn(repo, 'show', `${branch}:part.txt`)).toBe('partial');
    expect(await gitIn(repo, 'log', '-1', '--format=%s', branch)).toMatch(/^WIP: step 2/);
    const result2 = (await events(town, bead)).find(
      (e) => e.kind === 'tool.result' && e.payload.exit_code === 3,
    );
    expect(result2?.payload.stderr).toContain('compile error');
    // The same polecat picks the bead up again in the worktree that holds its work.
    const again = await town.gt('sling', bead, 'web', '--polecat', 'furiosa');
    expect(again.stdout).toContain('Slung');
  });

  it('denies a dangerous step by the rule that forbids it, and runs nothing after it', async () => {
    const town = await makeRigTown();
    const bead = await town.bead('Sneaky', ['true && sudo rm -rf /', 'touch after.txt']);
    const result = await town.gt('sling', bead, 'web');
    expect(result.exitCode).toBe(4);
    const call = (await events(town, bead)).find((e) => e.kind === 'tool.call');
    expect(call?.payload).toMatchObject({ decision: 'deny' });
    expect(String(call?.payload.rule)).toMatch(/^builtin:/);
    const [shown] = JSON.parse(await town.ok('--json', 'bd', 'show', bead)) as {
      comments: { text: string }[];
    }[];
    expect(shown!.comments.at(-1)!.text).toContain('denied by builtin:');
  });

  it('parks an asked step until the Overseer approves it, then continues', async () => {
    const town = await makeRigTown();
    const bead = await town.bead('Fetch deps', [
      'curl --version > curl.txt || echo no-curl > curl.txt',
      'touch after.txt',
    ]);
    const child = execa('node', [gtBin, '--town', town.root, 'sling', bead, 'web'], { reject: false });
    let pending: { id: number; tool: string; command: string }[] = [];
    while (pending.length === 0) {
      pending = JSON.parse(await town.ok('--json', 'approvals')) as typeof pending;
      if (pending.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(pending[0]!.command).toContain('curl --version');
    await town.ok('--actor', 'overseer', 'approve', String(pending[0]!.id));
    const done = await child;
    expect(done.exitCode).toBe(0);
    const kinds = (await events(town, bead)).map((e) => e.kind);
    expect(kinds).toContain('approval.requested');
    expect(kinds).toContain('approval.decided');
    expect(await gitIn(join(town.root, 'web', 'repo.git'), 'show', `polecat/furiosa/${bead}:after.txt`)).toBe(
      '',
    );
  });

  it('ends the session at its tool-call budget, commits the work and escalates', async () => {
    const town = await makeRigTown();
    await writeFile(join(town.root, 'policy.yaml'), 'budgets:\n  session:\n    tool_calls: 2\n');
    const bead = await town.bead('Too long', ['echo 1 > one.txt', 'echo 2 > two.txt', 'echo 3 > three.txt']);
    const result = await town.gt('sling', bead, 'web');
    expect(result.exitCode).toBe(4);
    expect(result.stdout).toContain('tool-call budget spent');
    const all = await events(town, bead);
    expect(all.map((e) => e.kind)).toContain('escalation.raised');
    const repo = join(town.root, 'web', 'repo.git');
    expect(await gitIn(repo, 'show', `polecat/furiosa/${bead}:two.txt`)).toBe('2');
    const [shown] = JSON.parse(await town.ok('--json', 'bd', 'show', bead)) as { status: string }[];
    expect(shown!.status).toBe('open');
  });

  it('refuses what cannot be slung before changing anything', async () => {
    const town = await makeRigTown();
    const blocker = await town.bead('First', ['true']);
    const blocked = await town.bead('Second', ['true'], '--deps', `blocks:${blocker}`);
    const result = await town.gt('sling', blocked, 'web');
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain(`blocked by ${blocker}`);
    expect((await town.gt('sling', blocker, 'nope')).stderr).toContain('rig not found: nope');
    expect((await town.gt('sling', blocker, 'web', '--agent', 'gpt-9')).stderr).toContain(
      '--agent: no runtime named gpt-9',
    );
    const [shown] = JSON.parse(await town.ok('--json', 'bd', 'show', blocker)) as { status: string }[];
    expect(shown!.status).toBe('open');
    expect(JSON.parse(await town.ok('--json', 'polecat', 'list'))).toEqual([]);
  });

  it('lets gt done commit what is left from inside the worktree', async () => {
    const town = await makeRigTown();
    const bead = await town.bead('Half done', ['echo draft > notes.txt', 'exit 1']);
    await town.gt('sling', bead, 'web');
    const worktree = join(town.root, 'web', 'polecats', 'furiosa');
    await writeFile(join(worktree, 'finished.txt'), 'by hand\n');
    const done = await execa('node', [gtBin, 'done'], {
      cwd: worktree,
      reject: false,
      env: { GT_TOWN: town.root },
    });
    expect(done.stderr).toBe('');
    expect(done.stdout).toContain(`${bead} is ready for review`);
    const repo = join(town.root, 'web', 'repo.git');
    expect(await gitIn(repo, 'show', `polecat/furiosa/${bead}:finished.txt`)).toBe('by hand');
    expect(await readFile(join(worktree, 'notes.txt'), 'utf8')).toBe('draft\n');
    const outside = await execa('node', [gtBin, 'done'], {
      cwd: town.root,
      reject: false,
      env: { GT_TOWN: town.root },
    });
    expect(outside.stderr).toContain("gt done runs inside a polecat's worktree");
  });
});
