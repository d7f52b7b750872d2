// Talking to a live session from another process: a real `gt sling` runs a script-runtime bead whose
// first step waits for a file; `gt nudge` from a second process reaches the running agent (the
// ledger shows the delivery into that session and the agent's answer), and `gt handoff` cycles the
// session: WIP committed, a new session on the same bead and polecat continuing from the worktree,
// with the polecat's unread mail in its preamble.
import { execa, type ResultPromise } from 'execa';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Witness } from '../../src/roles/witness/witness.js';
import { recordingMergeQueue } from '../../src/roles/witness/witness-queue.js';
import { openTownServices } from '../../src/town/services.js';
import { gtBin } from '../support/cli.js';
import { gitIn } from '../support/git-fixtures.js';
import { makeRigTown, type RigTown } from '../support/rig-town.js';
import { removeTempDirs } from '../support/temp.js';

interface Event {
  seq: number;
  kind: string;
  actor: string;
  session_id?: string;
  payload: Record<string, unknown>;
}

const children: ResultPromise[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await child.catch(() => undefined);
  }
  await removeTempDirs();
});

const waitingStep =
  'echo "run $(date +%s%N)" >> runs.txt; touch waiting; while [ ! -f release ]; do sleep 0.1; done';

function slingInBackground(town: RigTown, bead: string): ResultPromise {
  // Its own process group, so the test can clean up whatever the session left running.
  const child = execa('node', [gtBin, '--town', town.root, 'sling', bead, 'web'], {
    reject: false,
    detached: true,
    stdin: 'ignore',
  });
  children.push(child);
  return child;
}

async function until(probe: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await probe())) await new Promise((resolve) => setTimeout(resolve, 50));
}

async function events(town: RigTown, bead: string): Promise<Event[]> {
  const out = await town.ok('--json', 'feed', '--bead', bead, '-n', '0');
  return out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Event);
}

describe('nudges and handoffs reach the live session', () => {
  it('delivers a nudge from another process into the running agent', async () => {
    const town = await makeRigTown();
    const bead = await town.bead('Wait for a word', [waitingStep, 'echo finished > done.txt']);
    const sling = slingInBackground(town, bead);
    const worktree = join(town.root, 'web', 'polecats', 'furiosa');
    await until(() => existsSync(join(worktree, 'waiting')));

    const out = await town.ok('nudge', 'web/furiosa', 'the tests are in test/, keep going', '--wait');
    expect(out).toMatch(/^Delivered nudge #\d+ into web\/polecats\/furiosa's session ses-[0-9a-f]+/);
    await writeFile(join(worktree, 'release'), '');
    const result = await sling;
    expect(result.exitCode).toBe(0);

    const all = await events(town, bead);
    const session = all.find((e) => e.kind === 'session.started')?.session_id;
    expect(session).toBeDefined();
    const queued = all.find((e) => e.kind === 'polecat.nudged');
    expect(queued).toMatchObject({ actor: 'overseer', session_id: session });
    const delivered = all.find((e) => e.kind === 'nudge.delivered');
    expect(delivered).toMatchObject({
      actor: 'web/polecats/furiosa',
      session_id: session,
      payload: { kind: 'nudge', from: 'overseer', text: 'the tests are in test/, keep going' },
    });
    const answer = all.find(
      (e) => e.kind === 'agent.message' && String(e.payload.text).startsWith('nudge received'),
    );
    expect(answer).toMatchObject({ session_id: session });
    expect(String(answer?.payload.text)).toContain('Nudge from overseer: the tests are in test/, keep going');
    expect(answer!.seq).toBeGreaterThan(delivered!.seq);
  });

  it("puts the Witness's stall nudge into the live agent", async () => {
    const town = await makeRigTown();
    const bead = await town.bead('Go quiet', [waitingStep, 'true']);
    const sling = slingInBackground(town, bead);
    const worktree = join(town.root, 'web', 'polecats', 'furiosa');
    await until(() => existsSync(join(worktree, 'waiting')));
    const services = openTownServices(town.root, { env: process.env });
    try {
      const now = new Date();
      const witness = new Witness({
        town: services,
        root: town.root,
        rig: 'web',
        queue: recordingMergeQueue(),
        now: () => now,
        settings: { stall_after_seconds: 600 },
      });
      const stale = new Date(now.getTime() - 3_600_000).toISOString();
      services.db.prepare(`UPDATE sessions SET heartbeat_at = ? WHERE bead_id = ?`).run(stale, bead);
      expect((await witness.tick()).actions).toMatchObject([{ type: 'nudged', beadId: bead }]);
      const delivered = services.db.prepare(
        `SELECT session_id FROM ledger WHERE kind = 'nudge.delivered' AND bead_id = ?`,
      );
      await until(() => delivered.get(bead) !== undefined);
    } finally {
      services.close();
    }
    await writeFile(join(worktree, 'release'), '');
    expect((await sling).exitCode).toBe(0);
    const all = await events(town, bead);
    const session = all.find((e) => e.kind === 'session.started')?.session_id;
    expect(all.find((e) => e.kind === 'polecat.nudged')).toMatchObject({
      actor: 'web/witness',
      session_id: session,
    });
    expect(all.find((e) => e.kind === 'nudge.delivered')).toMatchObject({
      session_id: session,
      payload: { from: 'web/witness' },
    });
    const answer = all.find(
      (e) => e.kind === 'agent.message' && String(e.payload.text).startsWith('nudge received'),
    );
    expect(String(answer?.payload.text)).toMatch(/Nudge from web\/witness: No activity from you for 3600 s/);
  });

  it('refuses a nudge for a polecat with no live session, and unknown polecats', async () => {
    const town = await makeRigTown();
    const bead = await town.bead('Quick', ['true']);
    await town.ok('sling', bead, 'web');
    const idle = await town.gt('nudge', 'web/furiosa', 'hello?');
    expect(idle.exitCode).toBe(4);
    expect(idle.stderr).toContain('web/polecats/furiosa has no live session');
    expect(idle.stderr).toContain('nothing was queued');
    const unknown = await town.gt('nudge', 'web/polecats/nobody', 'hello?');
    expect(unknown.exitCode).toBe(3);
    expect(unknown.stderr).toContain('polecat not found: web/polecats/nobody');
    const handoff = await town.gt('handoff', 'web/furiosa');
    expect(handoff.exitCode).toBe(4);
  });

  it('cycles the session on handoff: WIP commit, a new session on the same bead with its mail', async () => {
    const town = await makeRigTown();
    const bead = await town.bead('Long job', [waitingStep, 'echo finished > done.txt']);
    const sling = slingInBackground(town, bead);
    const worktree = join(town.root, 'web', 'polecats', 'furiosa');
    await until(() => existsSync(join(worktree, 'waiting')));
    await town.ok(
      '--actor',
      'mayor',
      'mail',
      'send',
      'web/furiosa',
      '-s',
      'scope',
      '-m',
      'only the API',
      '--bead',
      bead,
    );

    const out = await town.ok('handoff', 'web/polecats/furiosa', '-m', 'context is full', '--wait');
    const [, first, second] = /session (ses-[0-9a-f]+) → (ses-[0-9a-f]+)/.exec(out) ?? [];
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    // The new session runs the bead again from the worktree the first one left.
    await until(
      async () => (await readFile(join(worktree, 'runs.txt'), 'utf8')).trim().split('\n').length === 2,
    );
    await until(() => existsSync(join(worktree, 'waiting')));
    await writeFile(join(worktree, 'release'), '');
    const result = await sling;
    expect(result.stdout).toContain('Done: all 2 step(s) succeeded');
    expect(result.exitCode).toBe(0);

    const all = await events(town, bead);
    const ends = all.filter((e) => e.kind === 'session.ended');
    expect(ends.map((e) => [e.session_id, e.payload.outcome])).toEqual([
      [first, 'handoff'],
      [second, 'success'],
    ]);
    expect(all.find((e) => e.kind === 'polecat.handoff')).toMatchObject({
      actor: 'overseer',
      session_id: first,
      payload: { kind: 'handoff', text: 'context is full' },
    });
    expect(all.find((e) => e.kind === 'nudge.delivered')).toMatchObject({
      session_id: first,
      payload: { kind: 'handoff' },
    });
    const resumed = all.find((e) => e.kind === 'polecat.resumed');
    expect(resumed).toMatchObject({ session_id: first, payload: { from_session: first } });
    expect(String(resumed?.payload.preamble)).toContain(
      `continuing bead ${bead} after a handoff from session ${first}`,
    );
    expect(String(resumed?.payload.preamble)).toContain('Subject: scope');
    // The bead never left the polecat between the two sessions.
    const kinds = all.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'bead.hooked')).toHaveLength(1);
    expect(kinds).not.toContain('bead.updated');
    expect(await town.ok('mail', 'inbox', '--for', 'web/furiosa', '--unread')).toContain('No unread mail');

    // Two commits on the branch: the first session's WIP, then the second session's work.
    const repo = join(town.root, 'web', 'repo.git');
    const branch = `polecat/furiosa/${bead}`;
    const log = (
      await gitIn(repo, 'log', '--format=%s|%(trailers:key=Gas-Town-Session,valueonly)', `main..${branch}`)
    )
      .split('\n')
      .filter((line) => line.trim() !== '');
    expect(log).toEqual([`Long job|${second}`, `WIP: stopped: handoff|${first}`]);
    expect((await gitIn(repo, 'show', `${branch}~1:runs.txt`)).split('\n')).toHaveLength(1);
    expect((await gitIn(repo, 'show', `${branch}:runs.txt`)).split('\n')).toHaveLength(2);
  });
});
