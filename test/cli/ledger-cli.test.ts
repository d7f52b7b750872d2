// The ledger through the real `gt` binary: every change shows up in the feed and the trace,
// `gt audit` signs, verifies, exports, proves, and names tampering with exit code 1.
import { execa } from 'execa';
import { join } from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { gtBin, runGt } from '../support/cli.js';
import { makeTown } from '../support/town.js';

async function gt(root: string, ...args: string[]) {
  const result = await runGt(['--town', root, ...args]);
  if (result.exitCode !== 0)
    throw new Error(`gt ${args.join(' ')} failed (${result.exitCode}): ${result.stderr}`);
  return result.stdout;
}

async function townWithWork() {
  const { root, scratch } = await makeTown();
  const epic = JSON.parse(await gt(root, '--json', 'bd', 'create', 'Ship the login page', '-t', 'epic')) as {
    id: string;
  };
  const child = JSON.parse(
    await gt(root, '--json', 'bd', 'create', 'Write the form', '--parent', epic.id),
  ) as { id: string };
  await gt(root, '--actor', 'rig/polecats/nux', 'bd', 'update', child.id, '--claim');
  await gt(root, 'bd', 'close', child.id, '--reason', 'merged in abc123');
  return { root, scratch, epic: epic.id, child: child.id };
}

describe('gt feed and gt trace', () => {
  it('shows every change as an event, filtered by bead, actor and sequence', async () => {
    const { root, child } = await townWithWork();
    const events = (await gt(root, '--json', 'feed', '-n', '0'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number; kind: string; actor: string; bead_id?: string });
    expect(events.map((e) => e.kind)).toEqual([
      'town.installed',
      'bead.created',
      'bead.created',
      'bead.claimed',
      'bead.closed',
    ]);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(events[3]).toMatchObject({ actor: 'rig/polecats/nux', bead_id: child });
    const text = await gt(root, 'feed', '--bead', child);
    expect(text).toContain(`bead.claimed ${child}: claimed by rig/polecats/nux`);
    expect(text).toContain('closed: merged in abc123');
    expect(text).not.toContain('town.installed');
    expect((await gt(root, 'feed', '--since', '4')).trim().split('\n')).toHaveLength(1);
    expect((await gt(root, 'feed', '--by', 'rig/polecats/nux')).trim().split('\n')).toHaveLength(1);
    const bad = await runGt(['--town', root, 'feed', '--since', 'last week']);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toContain('--since');
  });

  it('follows new events as they happen', async () => {
    const { root } = await townWithWork();
    const follower = execa('node', [
      gtBin,
      '--town',
      root,
      'feed',
      '--follow',
      '-n',
      '1',
      '--interval',
      '50',
    ]);
    const lines: string[] = [];
    const waiters: { text: string; resolve: () => void }[] = [];
    const until = (text: string) =>
      new Promise<void>((resolve) => {
        if (lines.some((l) => l.includes(text))) resolve();
        else waiters.push({ text, resolve });
      });
    follower.stdout?.on('data', (chunk: Buffer) => {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      for (const w of waiters) if (lines.some((l) => l.includes(w.text))) w.resolve();
    });
    await until('bead.closed');
    await gt(root, 'bd', 'create', 'Added while following');
    await until('Added while following');
    follower.kill('SIGTERM');
    await follower.catch(() => undefined);
    expect(lines[0]).toContain('bead.closed');
    expect(lines.at(-1)).toMatch(/^#6 .* bead\.created hq-[0-9a-z]+: created .* "Added while following"/);
  });

  it("tells a bead's story as a tree, children included", async () => {
    const { root, epic, child } = await townWithWork();
    const trace = JSON.parse(await gt(root, '--json', 'trace', epic)) as {
      bead: { id: string };
      events: { kind: string }[];
      children: { bead: { id: string; status: string }; events: { kind: string; actor: string }[] }[];
      totals: { events: number };
    };
    expect(trace.bead.id).toBe(epic);
    expect(trace.events.map((e) => e.kind)).toEqual(['bead.created']);
    expect(trace.children[0]!.bead).toMatchObject({ id: child, status: 'closed' });
    expect(trace.children[0]!.events.map((e) => e.kind)).toEqual([
      'bead.created',
      'bead.claimed',
      'bead.closed',
    ]);
    expect(trace.totals.events).toBe(4);
    const text = await gt(root, 'trace', epic);
    expect(text).toContain(`${child} [closed] Write the form`);
    expect(text).toContain('rig/polecats/nux: claimed by rig/polecats/nux');
    expect((await runGt(['--town', root, 'trace', 'hq-nope'])).exitCode).toBe(3);
  });
});

describe('gt audit', () => {
  it('verifies, signs, proves and shows events', async () => {
    const { root } = await townWithWork();
    expect(await gt(root, 'audit', 'verify')).toContain('Ledger intact: 5 events, 0 checkpoints');
    expect(await gt(root, 'audit', 'checkpoint')).toContain('Checkpoint signed: 5 events');
    const report = JSON.parse(await gt(root, '--json', 'audit', 'verify')) as {
      ok: boolean;
      events: number;
      checkpoints: number;
    };
    expect(report).toMatchObject({ ok: true, events: 6, checkpoints: 1 });
    const proof = JSON.parse(await gt(root, '--json', 'audit', 'prove', '3')) as {
      valid: boolean;
      proof: string[];
    };
    expect(proof.valid).toBe(true);
    expect(proof.proof.length).toBeGreaterThan(0);
    expect((await runGt(['--town', root, 'audit', 'prove', '6'])).stderr).toContain(
      'after the latest checkpoint',
    );
    const shown = JSON.parse(await gt(root, '--json', 'audit', 'show', '4')) as { kind: string };
    expect(shown.kind).toBe('bead.claimed');
    expect((await runGt(['--town', root, 'audit', 'show', 'x'])).stderr).toContain(
      'seq: must be a positive integer',
    );
  });

  it('exits 1 naming the first bad seq when the database was edited', async () => {
    const { root } = await townWithWork();
    await gt(root, 'audit', 'checkpoint');
    const db = new Database(join(root, '.gt', 'town.db'));
    db.prepare(`UPDATE ledger SET actor = 'mayor' WHERE seq = 3`).run();
    db.close();
    const result = await runGt(['--town', root, 'audit', 'verify']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('Ledger TAMPERED at seq 3 (edited)');
    const json = await runGt(['--town', root, '--json', 'audit', 'verify']);
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, problem: { kind: 'edited', seq: 3 } });
    expect(JSON.parse(json.stderr)).toHaveProperty('error');
  });

  it('checks an export anywhere with only the public key', async () => {
    const { root, scratch } = await townWithWork();
    await gt(root, 'audit', 'checkpoint');
    const file = join(scratch, 'ledger.jsonl');
    await gt(root, 'audit', 'export', '-o', file);
    const pubkey = join(root, '.gt', 'keys', 'ledger-ed25519.pub.pem');
    const elsewhere = await runGt(['audit', 'verify', '--file', file, '--pubkey', pubkey], { cwd: scratch });
    expect(elsewhere.exitCode).toBe(0);
    expect(elsewhere.stdout).toContain('Ledger intact: 6 events, 1 checkpoints');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('merged in abc123', 'merged in evil99'));
    const tampered = await runGt(['audit', 'verify', '--file', file, '--pubkey', pubkey], { cwd: scratch });
    expect(tampered.exitCode).toBe(1);
    expect(tampered.stdout).toContain('at seq 5 (edited)');
    const missing = await runGt(['audit', 'verify', '--file', join(scratch, 'nope.jsonl')], { cwd: scratch });
    expect(missing.stderr).toContain('--file: no such file');
  });

  it('redacts secrets from the ledger but records the change', async () => {
    const { root } = await townWithWork();
    await gt(
      root,
      'bd',
      'create',
      'Rotate keys',
      '-d',
      'old key was sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789 for prod',
    );
    const feed = await gt(root, '--json', 'feed', '--kind', 'bead.created', '-n', '1');
    expect(feed).toContain('[REDACTED:anthropic_key]');
    expect(feed).not.toContain('abcdefghijklmnopqrstuvwxyz0123456789');
  });

  it('records rig additions and removals', async () => {
    const { root, scratch } = await makeTown();
    const repo = join(scratch, 'repo');
    const git = (...args: string[]) =>
      execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], { cwd: repo });
    await execa('git', ['init', '-q', '-b', 'main', repo]);
    await writeFile(join(repo, 'README'), 'hi');
    await git('add', '.');
    await git('commit', '-qm', 'init');
    await gt(root, 'rig', 'add', 'web', repo);
    await gt(root, 'rig', 'remove', 'web');
    const kinds = (await gt(root, '--json', 'feed'))
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { kind: string }).kind);
    expect(kinds).toEqual(['town.installed', 'rig.added', 'rig.removed']);
  });
});
