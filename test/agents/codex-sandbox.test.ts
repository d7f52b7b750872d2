// Codex inside our sandbox, with the real Codex CLI and a gateway that allows every call (so only
// the sandbox stands in the way): its commands cannot read the town's database or signing key (the
// content never reaches the worktree, the branch or the model), cannot write outside the worktree
// (the markers are absent on the host), and hold no real key in their environment. Without
// bubblewrap and without `sandbox: none`, Codex does not start at all.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { CodexRuntime } from '../../src/agents/codex/runtime.js';
import type { AgentEvent, AgentSession } from '../../src/agents/index.js';
import { probeSandbox, sandboxAvailability, sandboxGitArgs } from '../../src/sandbox/index.js';
import { townPaths } from '../../src/town/paths.js';
import { startModelServer } from '../support/model-server.js';
import { makeTempDir, removeTempDirs } from '../support/temp.js';
import { recordingGateway } from './runtime-contract.js';

const codexBin = fileURLToPath(new URL('../../node_modules/.bin/codex', import.meta.url));
const ready = existsSync(codexBin) && sandboxAvailability().available;

afterAll(removeTempDirs);

const exec = (cmd: string) => ({ name: 'exec_command', input: { cmd } });

async function collect(session: AgentSession): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const event of session.events) events.push(event);
  return events;
}

/** Every file's content under `dir`, `.git` included (objects are compressed: checked via git). */
async function allText(dir: string): Promise<string> {
  let text = '';
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    text += await readFile(join(entry.parentPath, entry.name), 'utf8').catch(() => '');
  }
  return text;
}

/** A town whose database and signing key hold markers a leak would carry along. */
async function secretTown() {
  const town = await makeTempDir('gt-codex-box-town');
  const paths = townPaths(town);
  const dbMarker = `town-db-${randomBytes(8).toString('hex')}`;
  const keyMarker = `signing-key-${randomBytes(8).toString('hex')}`;
  await mkdir(paths.keys, { recursive: true });
  const db = new Database(paths.db);
  db.exec('CREATE TABLE secrets (value TEXT)');
  db.prepare('INSERT INTO secrets VALUES (?)').run(dbMarker);
  db.close();
  await writeFile(join(paths.keys, 'ledger.ed25519'), keyMarker, { mode: 0o600 });
  return { town, paths, dbMarker, keyMarker };
}

/** A TCP listener on the host's 127.0.0.1 that counts what reaches it. */
async function hostListener() {
  const counts = { connections: 0, bytes: 0 };
  const server = createServer((socket) => {
    counts.connections += 1;
    socket.on('data', (chunk: Buffer) => (counts.bytes += chunk.length));
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return counts.connections;
    },
    get bytes() {
      return counts.bytes;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** A direct TCP connection from inside: says whether it got through. */
const connectCommand = (port: number) =>
  `node -e "const s=require('net').connect(${port},'127.0.0.1');` +
  `s.on('connect',()=>{s.end('leaked');console.log('connected')});` +
  `s.on('error',e=>console.log('no connection: '+e.code))"`;

describe(`codex inside the sandbox${ready ? '' : ' (failing: codex or bubblewrap is missing)'}`, () => {
  it('cannot read the town, write outside its worktree, or see a real key', async () => {
    expect(ready, 'node_modules/.bin/codex and a working bwrap are needed').toBe(true);
    const { town, paths, dbMarker, keyMarker } = await secretTown();
    const worktree = await makeTempDir('gt-codex-box-wt');
    await execa('git', ['init', '-q', '-b', 'polecat/gt-1', worktree]);
    const outside = await makeTempDir('gt-codex-box-outside');
    const realKey = `sk-real-${randomBytes(12).toString('hex')}`;
    const listener = await hostListener();
    const { port } = listener;
    const server = await startModelServer({
      script: [
        {
          toolCalls: [
            exec(
              `cat ${paths.db} > leak-db.bin; cat ${join(paths.keys, 'ledger.ed25519')} > leak-key.txt; ` +
                `cp -r ${paths.keys} leaked-keys; ls -la ${paths.root}/.gt > leak-ls.txt; ` +
                `strings ${paths.db}; cat ${join(paths.keys, 'ledger.ed25519')}; true`,
            ),
          ],
        },
        {
          toolCalls: [
            exec(
              `echo escaped > ${join(outside, 'marker.txt')}; echo planted > ${join(town, '.gt', 'planted')}; ` +
                `echo rooted > /root/gastown-codex-marker; echo inside > mine.txt; true`,
            ),
          ],
        },
        { toolCalls: [exec('id; env')] },
        { toolCalls: [exec("for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < $f; done; true")] },
        { toolCalls: [exec(connectCommand(port))] },
        { toolCalls: [exec(`curl -sS -m 5 --noproxy '' http://127.0.0.1:${port}/ || true`)] },
        { text: 'Tried.' },
      ],
    });
    try {
      // Every command may run; the network (the gate asks the policy) is denied, as `ask` ends unanswered.
      const tools = recordingGateway((request) =>
        request.tool === 'network' ? { status: 'denied', decision: 'deny', rule: 'builtin:network' } : {},
      );
      const records: { kind: string; payload: Record<string, unknown> }[] = [];
      tools.record = (kind, payload) => records.push({ kind, payload });
      const events = await collect(
        new CodexRuntime().start({
          sessionId: 'ses-box',
          worktree,
          task: { beadId: 'gt-1', title: 'Escape', steps: [] },
          tools,
          config: {
            command: codexBin,
            baseUrl: `${server.url}/v1`,
            model: 'gpt-5.5',
            apiKeyEnv: 'CODEX_BOX_KEY',
          },
          env: {
            PATH: process.env['PATH'] ?? '/usr/bin:/bin',
            HOME: '/root',
            GT_TOWN: town,
            CODEX_BOX_KEY: realKey,
            HOST_ONLY: 'host-only-marker',
          },
        }),
      );
      expect(events.at(-1)).toMatchObject({ type: 'done', outcome: 'success', summary: 'Tried.' });
      expect(tools.calls.filter((call) => call.tool === 'run')).toHaveLength(6);
      const outputs = events.flatMap((e) => (e.type === 'tool_result' ? [e.outcome.output] : []));
      expect(outputs).toHaveLength(6);
      // The commands ran (the worktree is writable), as the sandbox uid when we are root.
      expect(await readFile(join(worktree, 'mine.txt'), 'utf8')).toBe('inside\n');
      if (process.getuid?.() === 0) expect(outputs[2]).toContain('uid=61000');

      // Nothing of the town reached the worktree, its branch, or the model.
      const git = (...args: string[]) => execa('git', ['-C', worktree, ...sandboxGitArgs(worktree), ...args]);
      await git('add', '-A');
      await git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'wip');
      const branch = (await git('log', '-p', '--all', '--binary')).stdout;
      const seen = [await allText(worktree), branch, JSON.stringify(server.requests.map((r) => r.body))];
      for (const text of seen) {
        expect(text).not.toContain(dbMarker);
        expect(text).not.toContain(keyMarker);
      }
      // No write outside the worktree landed on the host.
      expect(existsSync(join(outside, 'marker.txt'))).toBe(false);
      expect(existsSync(join(town, '.gt', 'planted'))).toBe(false);
      expect(existsSync('/root/gastown-codex-marker')).toBe(false);
      expect((await stat(paths.db)).size).toBeGreaterThan(0);
      // The commands' environment holds no hook key and nothing of the host's; no process's the
      // commands can read (Codex's own included) holds the real key.
      expect(outputs[2]).toContain('CODEX_HOME=');
      expect(outputs[2]).not.toContain('GT_CODEX_HOOK_TOKEN');
      expect(outputs[2]).not.toContain('host-only-marker');
      expect(outputs[3]).not.toContain('host-only-marker');
      expect(outputs[3]).toContain('CODEX_HOME=');
      expect(outputs[3]).not.toContain(realKey);

      // The network: a direct connection to the host's 127.0.0.1 finds nothing; through the proxy the
      // gate asks the policy, which denies; the listener sees no connection and no byte.
      expect(outputs[4]).toContain('no connection: E');
      expect(outputs[5]).toContain('gastown egress: 127.0.0.1:');
      expect(outputs[5]).toContain('builtin:network');
      expect(listener.connections).toBe(0);
      expect(listener.bytes).toBe(0);
      expect(tools.calls.find((call) => call.tool === 'network')).toMatchObject({
        host: '127.0.0.1',
        port,
        privateAddress: true,
      });
      // The model saw the real key on every request, put there by the gate, which recorded each call.
      const generations = server.requests.filter((request) => request.api === 'responses');
      expect(generations.length).toBeGreaterThanOrEqual(7);
      for (const request of generations) expect(request.headers.authorization).toBe(`Bearer ${realKey}`);
      const modelCalls = records.filter((record) => record.kind === 'model.request');
      expect(modelCalls).toHaveLength(generations.length);
      expect(modelCalls[0]?.payload).toMatchObject({ path: '/responses', status: 200, model: 'gpt-5.5' });
      expect(JSON.stringify(records)).not.toContain(realKey);
    } finally {
      await server.close();
      await listener.close();
      await rm('/root/gastown-codex-marker', { force: true });
    }
  });

  it('refuses to start Codex without bubblewrap, naming the fix, and runs nothing', async () => {
    const worktree = await makeTempDir('gt-codex-nobox-wt');
    const town = await makeTempDir('gt-codex-nobox-town');
    const server = await startModelServer({ script: [{ toolCalls: [exec('echo ran > ran.txt')] }] });
    try {
      const tools = recordingGateway();
      const runtime = new CodexRuntime({ availability: () => probeSandbox('/nonexistent/bwrap') });
      const events = await collect(
        runtime.start({
          sessionId: 'ses-nobox',
          worktree,
          task: { beadId: 'gt-2', title: 'Anything', steps: [] },
          tools,
          config: { command: codexBin, baseUrl: `${server.url}/v1`, model: 'gpt-5.5' },
          env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', GT_TOWN: town },
        }),
      );
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: 'done', outcome: 'failure' });
      const summary = JSON.stringify(events[0]);
      expect(summary).toContain('apt-get install -y bubblewrap');
      expect(summary).toContain('sandbox: none');
      // Codex never started: no model request, no call, no file.
      expect(server.requests).toHaveLength(0);
      expect(tools.calls).toHaveLength(0);
      expect(existsSync(join(worktree, 'ran.txt'))).toBe(false);
    } finally {
      await server.close();
    }
  });
});
