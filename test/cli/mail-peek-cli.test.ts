// `gt mail` and `gt peek` through the binary: mail persists in the town and its ledger, reaches a
// polecat by its short address and is refused for unknown ones; peek shows a session's transcript
// from the ledger, and --follow streams a live session to its end, across a handoff.
import { execa, type ResultPromise } from 'execa';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gtBin } from '../support/cli.js';
import { makeRigTown } from '../support/rig-town.js';
import { removeTempDirs } from '../support/temp.js';

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

function background(args: string[]): ResultPromise {
  const child = execa('node', [gtBin, ...args], { reject: false, detached: true, stdin: 'ignore' });
  children.push(child);
  return child;
}

async function until(probe: () => boolean): Promise<void> {
  while (!probe()) await new Promise((resolve) => setTimeout(resolve, 50));
}

interface Mail {
  id: string;
  from_actor: string;
  to_actor: string;
  subject: string;
  body: string;
  bead_id: string | null;
  read_at: string | null;
}

describe('gt mail', () => {
  it('sends, lists and reads mail that persists in the town and the ledger', async () => {
    const town = await makeRigTown();
    const bead = await town.bead('Greet', ['echo hello']);
    await town.ok('sling', bead, 'web');

    const sent = await town.ok(
      'mail',
      'send',
      'web/furiosa',
      '-s',
      'next up',
      '-m',
      'then the docs',
      '--bead',
      bead,
    );
    expect(sent).toMatch(/^Sent mail-[0-9a-z]+ to web\/polecats\/furiosa: next up/);
    const [mail] = JSON.parse(
      await town.ok('--json', 'mail', 'inbox', '--for', 'web/polecats/furiosa', '--unread'),
    ) as Mail[];
    expect(mail).toMatchObject({
      from_actor: 'overseer',
      to_actor: 'web/polecats/furiosa',
      subject: 'next up',
      body: 'then the docs',
      bead_id: bead,
      read_at: null,
    });

    // The polecat reads its own mail (GT_ACTOR, as inside its session): shown, then marked read.
    const read = await town.gt('mail', 'read', mail!.id);
    expect(read.stdout).toContain('Subject: next up');
    const asPolecat = await town.gt('mail', 'read', mail!.id, '--actor', 'web/polecats/furiosa');
    expect(asPolecat.stdout).toContain('then the docs');
    expect(await town.ok('mail', 'inbox', '--for', 'web/furiosa', '--unread')).toContain(
      'No unread mail for web/polecats/furiosa',
    );
    expect(await town.ok('mail', 'inbox', '--for', 'web/furiosa')).toMatch(
      /read {3}.*from overseer {2}next up/,
    );

    const reply = await town.gt(
      '--actor',
      'web/polecats/furiosa',
      'mail',
      'send',
      'overseer',
      '-s',
      'done',
      '-m',
      'ok',
    );
    expect(reply.exitCode).toBe(0);
    expect(await town.ok('mail', 'inbox')).toMatch(/unread .*from web\/polecats\/furiosa {2}done/);

    const kinds = (await town.ok('--json', 'feed', '-n', '0'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; actor: string })
      .filter((e) => e.kind.startsWith('mail.'))
      .map((e) => `${e.kind} ${e.actor}`);
    expect(kinds).toEqual([
      'mail.sent overseer',
      'mail.read web/polecats/furiosa',
      'mail.sent web/polecats/furiosa',
    ]);

    const noRig = await town.gt('mail', 'send', 'api/furiosa', '-s', 'x');
    expect(noRig.exitCode).toBe(3);
    expect(noRig.stderr).toContain('rig not found: api');
    const noPolecat = await town.gt('mail', 'send', 'web/ghost', '-s', 'x');
    expect(noPolecat.exitCode).toBe(3);
    expect(noPolecat.stderr).toContain(
      'polecat not found: web/polecats/ghost (rig web: its polecats: furiosa)',
    );
    const nobody = await town.gt('mail', 'send', 'somebody', '-s', 'x');
    expect(nobody.exitCode).toBe(2);
  });
});

describe('gt peek', () => {
  it("shows the polecat's last session as a transcript", async () => {
    const town = await makeRigTown();
    const bead = await town.bead('Greet', ['echo hello', 'false']);
    await town.gt('sling', bead, 'web');
    const out = await town.ok('peek', 'web/furiosa');
    const lines = out.split('\n');
    expect(lines[0]).toMatch(
      new RegExp(`^web/polecats/furiosa · bead ${bead} · session ses-[0-9a-f]+ \\(ended\\)`),
    );
    expect(out).toMatch(/── session ses-[0-9a-f]+ started \(script on polecat\/furiosa\//);
    expect(out).toMatch(/agent: running 2 step\(s\)/);
    expect(out).toMatch(/→ run echo hello {2}\[allow: /);
    expect(out).toMatch(/← ok exit 0: hello/);
    expect(out).toMatch(/← error exit 1/);
    expect(out).toMatch(/── session ended: failure — step 2 \(false\) failed: exit 1/);

    const missing = await town.gt('peek', 'web/nux');
    expect(missing.exitCode).toBe(3);
  });

  it('follows a live session to its end, across a handoff', async () => {
    const town = await makeRigTown();
    const worktree = join(town.root, 'web', 'polecats', 'furiosa');
    const bead = await town.bead('Wait', [
      'rm -f waiting; touch waiting; while [ ! -f release ]; do sleep 0.1; done',
      'echo finished',
    ]);
    const sling = background(['--town', town.root, 'sling', bead, 'web']);
    await until(() => existsSync(join(worktree, 'waiting')));
    const peek = background(['--town', town.root, 'peek', 'web/furiosa', '--follow', '--interval', '50']);

    await town.ok('nudge', 'web/furiosa', 'how is it going?', '--wait');
    await town.ok('handoff', 'web/furiosa', '--wait');
    await until(() => existsSync(join(worktree, 'waiting')));
    await writeFile(join(worktree, 'release'), '');
    expect((await sling).exitCode).toBe(0);

    const followed = await peek;
    expect(followed.exitCode).toBe(0);
    const out = String(followed.stdout);
    expect(out.match(/── session ses-[0-9a-f]+ started/g)).toHaveLength(2);
    expect(out).toMatch(/nudge \(nudge\) from overseer: how is it going\?/);
    expect(out).toMatch(/nudge \(handoff\) from overseer: handoff requested/);
    expect(out).toMatch(/── session ended: handoff/);
    expect(out).toMatch(/── handed off; the next session resumes/);
    expect(out).toMatch(/← ok exit 0: finished/);
    expect(out.trim().split('\n').at(-1)).toMatch(/── session ended: success/);
  });
});
