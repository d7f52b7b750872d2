// The file tools (read, write, edit, list, search) act on a real polecat worktree through the real
// bubblewrap sandbox: they work, fail clearly, survive hostile file names, cannot be pointed out of
// the worktree by a symlink, and a write outside the worktree is refused by the policy before
// anything runs. The direct runner (`sandbox: none`) runs the same scripts.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolRequest } from '../../src/agents/index.js';
import { newSpanId } from '../../src/ledger/index.js';
import { defaultPolicy } from '../../src/policy/index.js';
import { runFileTool } from '../../src/roles/gateway/file-tools.js';
import { shellQuote } from '../../src/roles/gateway/shell-quote.js';
import { createToolGateway } from '../../src/roles/gateway/tool-gateway.js';
import type { SandboxRunner } from '../../src/sandbox/index.js';
import { directRunner, sandboxRunner } from '../../src/sandbox/index.js';
import { makeSandboxTown, townSecret } from '../sandbox/fixture.js';
import type { SandboxTown } from '../sandbox/fixture.js';
import { makeLedgerTown } from '../support/ledger-town.js';
import { makeTempDir, removeTempDirs } from '../support/temp.js';

let town: SandboxTown;
beforeAll(async () => {
  town = await makeSandboxTown();
});
afterAll(removeTempDirs);

let calls = 0;
const tool = (runner: SandboxRunner, fields: Omit<ToolRequest, 'callId'>) =>
  runFileTool({ callId: `c${++calls}`, ...fields }, town.spec(), runner);
const inSandbox = (fields: Omit<ToolRequest, 'callId'>) => tool(sandboxRunner, fields);
const worktreeFile = (name: string) => readFile(join(town.worktree, name), 'utf8');

const nasty = [
  'a b.txt',
  "it's.txt",
  'say "hi".txt',
  '$(touch pwned).txt',
  '`touch pwned2`.txt',
  'new\nline.txt',
  '-rf',
  '--help',
  'tab\there;ls.txt',
  'ünïcødé ✓.txt',
];

describe('shellQuote', () => {
  it('gives back every string byte for byte through /bin/sh', async () => {
    const words = [...nasty, '', "'", "''", "a'b'c", '\\', "\\'", '$HOME', '*', '!x', '%s\n%s'];
    for (const word of words) {
      const { stdout } = await promisify(execFile)('/bin/sh', ['-c', `printf '%s' ${shellQuote(word)}`]);
      expect(stdout, JSON.stringify(word)).toBe(word);
    }
  });

  it('refuses a NUL, which no argument can carry', () => {
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
  });
});

describe.each([
  ['bubblewrap', sandboxRunner],
  ['direct', directRunner],
])('file tools with the %s runner', (label, runner) => {
  const dir = `basic-${label}`;

  it('writes (creating directories), reads, edits, lists and searches', async () => {
    const path = `${dir}/src/deep/notes.md`;
    const content = 'first line\nsecond ✓ line\nthird line\n';
    expect(await tool(runner, { tool: 'write', path, content })).toMatchObject({ status: 'ok' });
    expect(await worktreeFile(path)).toBe(content);
    expect(await tool(runner, { tool: 'read', path })).toEqual({ status: 'ok', output: content });
    const lines = await tool(runner, { tool: 'read', path, startLine: 2, endLine: 3 });
    expect(lines.output).toBe('second ✓ line\nthird line\n');

    const edited = await tool(runner, { tool: 'edit', path, oldText: 'second ✓', newText: '2nd' });
    expect(edited).toEqual({ status: 'ok', output: `edited ${path} at line 2` });
    expect(await worktreeFile(path)).toBe('first line\n2nd line\nthird line\n');

    await tool(runner, { tool: 'write', path: `${dir}/top.txt`, content: 'third line too\n' });
    const listing = await tool(runner, { tool: 'list', path: dir });
    expect(listing).toEqual({
      status: 'ok',
      output: ['src/', 'src/deep/', 'src/deep/notes.md', 'top.txt'].join('\n'),
    });

    const found = await tool(runner, { tool: 'search', pattern: 'third (line|row)', path: dir });
    expect(found.status).toBe('ok');
    expect(found.output.split('\n').sort()).toEqual([
      `${dir}/src/deep/notes.md:3:third line`,
      `${dir}/top.txt:1:third line too`,
    ]);
    const none = await tool(runner, { tool: 'search', pattern: 'absent-word', path: dir });
    expect(none).toEqual({ status: 'ok', output: `no matches for absent-word in ${dir}` });
  });
});

describe('file tools in the sandbox', () => {
  it('lists the whole worktree without .git', async () => {
    const listing = await inSandbox({ tool: 'list' });
    expect(listing.status).toBe('ok');
    expect(listing.output.split('\n')).toContain('README.md');
    expect(listing.output).not.toMatch(/(^|\/)\.git\b/m);
    const found = await inSandbox({ tool: 'search', pattern: 'gitdir' });
    expect(found.output).toMatch(/^no matches/);
  });

  it('fails an edit whose oldText occurs zero or two times, and leaves the file alone', async () => {
    const path = 'edit-me.txt';
    const content = 'alpha\nbeta\nalpha\n';
    await inSandbox({ tool: 'write', path, content });
    const missing = await inSandbox({ tool: 'edit', path, oldText: 'gamma', newText: 'x' });
    expect(missing).toMatchObject({
      status: 'error',
      output: expect.stringContaining('does not occur in edit-me.txt') as unknown,
    });
    const twice = await inSandbox({ tool: 'edit', path, oldText: 'alpha', newText: 'x' });
    expect(twice.status).toBe('error');
    expect(twice.output).toContain('occurs more than once in edit-me.txt (at lines 1, 3)');
    expect(await worktreeFile(path)).toBe(content);
    const empty = await inSandbox({ tool: 'edit', path, oldText: '', newText: 'x' });
    expect(empty.status).toBe('error');
  });

  it('says plainly when a path is missing, a directory, or binary', async () => {
    expect(await inSandbox({ tool: 'read', path: 'nope.txt' })).toMatchObject({
      status: 'error',
      output: 'nope.txt does not exist',
    });
    expect((await inSandbox({ tool: 'read', path: '.' })).output).toContain('is a directory');
    expect((await inSandbox({ tool: 'list', path: 'README.md' })).output).toBe(
      'README.md is not a directory',
    );
    expect((await inSandbox({ tool: 'edit', path: 'nope.txt', oldText: 'a', newText: 'b' })).output).toBe(
      'nope.txt does not exist',
    );
    await writeFile(join(town.worktree, 'blob.bin'), Buffer.from([1, 0, 2, 3]));
    expect((await inSandbox({ tool: 'read', path: 'blob.bin' })).output).toBe(
      'blob.bin is a binary file (4 bytes); not shown',
    );
    const bad = await inSandbox({ tool: 'search', pattern: 'unclosed(' });
    expect(bad.status).toBe('error');
    expect(bad.output).toMatch(/searching \. failed: .*(Unmatched|parenthes)/);
  });

  it('writes big content exactly and caps what it reads, lists and finds', async () => {
    const big = Array.from({ length: 6000 }, (_, i) => `line ${i} ${'✓'.repeat(20)}`).join('\n');
    expect((await inSandbox({ tool: 'write', path: 'big.txt', content: big })).status).toBe('ok');
    expect(await worktreeFile('big.txt')).toBe(big);
    const read = await inSandbox({ tool: 'read', path: 'big.txt' });
    expect(read.output.length).toBeLessThan(70 * 1024);
    expect(read.output).toMatch(/… \(cut at 65536 bytes; the file has \d+ bytes: read a line range/);
    expect(read.output).not.toContain('\uFFFD');
    expect((await inSandbox({ tool: 'read', path: 'big.txt', startLine: 5000, endLine: 5000 })).output).toBe(
      `line 4999 ${'✓'.repeat(20)}\n`,
    );
    expect((await inSandbox({ tool: 'read', path: 'big.txt', startLine: 7000 })).output).toBe(
      '(no lines there: big.txt has 6000 lines)',
    );
    const found = await inSandbox({ tool: 'search', pattern: '^line', path: 'big.txt' });
    expect(found.output.split('\n')).toHaveLength(201);
    expect(found.output).toMatch(/more matches not shown/);

    await mkdir(join(town.worktree, 'many'));
    await Promise.all(
      Array.from({ length: 1100 }, (_, i) => writeFile(join(town.worktree, 'many', `f${i}`), '')),
    );
    const listing = await inSandbox({ tool: 'list', path: 'many' });
    expect(listing.output.split('\n')).toHaveLength(1001);
    expect(listing.output).toMatch(/more than 1000 entries/);
  });

  it('handles names with spaces, quotes, $(…), backticks, newlines and leading dashes as plain names', async () => {
    await mkdir(join(town.worktree, 'odd'));
    for (const name of nasty) {
      const path = `odd/${name}`;
      const write = await inSandbox({ tool: 'write', path, content: `content of ${name}\n` });
      expect(write, name).toMatchObject({ status: 'ok' });
      expect(await worktreeFile(path), name).toBe(`content of ${name}\n`);
      expect((await inSandbox({ tool: 'read', path })).output, name).toBe(`content of ${name}\n`);
      const edit = await inSandbox({ tool: 'edit', path, oldText: 'content', newText: 'text' });
      expect(edit.status, name).toBe('ok');
    }
    expect((await readdir(join(town.worktree, 'odd'))).sort()).toEqual([...nasty].sort());
    const listing = await inSandbox({ tool: 'list', path: 'odd' });
    expect(listing.output).toContain('$(touch pwned).txt');
    expect(listing.output).toContain('"new\\nline.txt"');
    const found = await inSandbox({ tool: 'search', pattern: 'text of new', path: 'odd' });
    expect(found.output).toBe('"odd/new\\nline.txt":1:text of new');
    const dashed = await inSandbox({ tool: 'search', pattern: '-rf', path: 'odd/-rf' });
    expect(dashed.output).toBe('odd/-rf:1:text of -rf');
    for (const planted of ['pwned', 'pwned2', 'odd/pwned', 'odd/pwned2']) {
      expect(existsSync(join(town.worktree, planted)), planted).toBe(false);
    }
  });

  it('cannot be led out of the worktree by a symlink to /etc/shadow or the town', async () => {
    await symlink('/etc/shadow', join(town.worktree, 'shadow-link'));
    await symlink(town.db, join(town.worktree, 'db-link'));
    await symlink(town.root, join(town.worktree, 'town-link'));
    // The sandbox masks /etc/shadow (with /dev/null here); whatever it shows, no password hash.
    const shadow = await inSandbox({ tool: 'read', path: 'shadow-link' });
    expect(shadow.status).toBe('error');
    expect(shadow.output).not.toMatch(/root:/);
    const db = await inSandbox({ tool: 'read', path: 'db-link' });
    expect(db).toMatchObject({ status: 'error', output: 'db-link does not exist' });
    const listing = await inSandbox({ tool: 'list', path: 'town-link' });
    expect(listing.output).not.toContain('town.db');
    expect(listing.output).not.toContain('secret.txt');
    const found = await inSandbox({ tool: 'search', pattern: townSecret, path: 'town-link' });
    expect(found.output).toBe(`no matches for ${townSecret} in town-link`);
    const whole = await inSandbox({ tool: 'search', pattern: townSecret });
    expect(whole.output).toBe(`no matches for ${townSecret} in .`);
    const overwrite = await inSandbox({ tool: 'write', path: 'db-link', content: 'gone' });
    expect(overwrite.status).toBe('error');
    expect(await readFile(town.db, 'utf8')).toContain(townSecret);
    await symlink(town.otherWorktree, join(town.worktree, 'bee-link'));
    expect((await inSandbox({ tool: 'write', path: 'bee-link/planted.txt', content: 'x' })).status).toBe(
      'error',
    );
    expect(existsSync(join(town.otherWorktree, 'planted.txt'))).toBe(false);
  });
});

describe('file tools behind the gateway', () => {
  async function gateway() {
    const ledgerTown = makeLedgerTown();
    const runs: string[] = [];
    const counted: SandboxRunner = {
      mode: sandboxRunner.mode,
      run: (spec, command, options) => {
        runs.push(command);
        return sandboxRunner.run(spec, command, options);
      },
    };
    const gate = createToolGateway({
      ledger: ledgerTown.ledger,
      policy: defaultPolicy(),
      runner: counted,
      spec: town.spec(),
      session: {
        sessionId: 's-1',
        sessionSpan: newSpanId(),
        beadId: 'ap-1',
        rig: 'app',
        polecat: 'ace',
        agent: 'openai',
      },
      home: await makeTempDir('gt-home'),
      budgetCheck: () => undefined,
      onToolCall: () => undefined,
    });
    return { gate, runs, ledgerTown };
  }

  it('denies a write outside the worktree before anything runs', async () => {
    const { gate, runs, ledgerTown } = await gateway();
    await symlink(town.otherWorktree, join(town.worktree, 'gw-bee-link'));
    await symlink(town.db, join(town.worktree, 'gw-db-link'));
    const target = join(town.root, 'app', 'outside.txt');
    const outcome = await gate.call({ callId: 'w1', tool: 'write', path: target, content: 'x' });
    expect(outcome).toMatchObject({
      status: 'denied',
      decision: 'deny',
      rule: 'builtin:file-write-outside-worktree',
    });
    const viaLink = await gate.call({ callId: 'w2', tool: 'write', path: 'gw-bee-link/x.txt', content: 'x' });
    expect(viaLink).toMatchObject({ status: 'denied', rule: 'builtin:file-write-outside-worktree' });
    const secret = await gate.call({ callId: 'r1', tool: 'read', path: 'gw-db-link' });
    expect(secret).toMatchObject({ status: 'denied', rule: 'builtin:secrets' });
    expect(runs).toEqual([]);
    expect(existsSync(target)).toBe(false);
    ledgerTown.cleanup();
  });

  it('runs an allowed call in the sandbox and records its result', async () => {
    const { gate, runs, ledgerTown } = await gateway();
    const outcome = await gate.call({
      callId: 'w3',
      tool: 'write',
      path: 'through-gateway.txt',
      content: 'hi\n',
    });
    expect(outcome).toMatchObject({ status: 'ok', decision: 'allow', rule: 'builtin:worktree-files' });
    expect(runs).toHaveLength(1);
    expect(await worktreeFile('through-gateway.txt')).toBe('hi\n');
    const kinds = ledgerTown.db.prepare('SELECT kind FROM ledger ORDER BY seq').pluck().all();
    expect(kinds.slice(-2)).toEqual(['tool.call', 'tool.result']);
    ledgerTown.cleanup();
  });
});
