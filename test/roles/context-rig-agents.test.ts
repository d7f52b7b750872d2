// Context rigs with the real agents: the real Claude Code and Codex binaries and the anthropic model
// loop, each driven by the scripted model server through `gt sling --context-rig api`. Each one is
// told where the api rig is (name, path, branch, head), reads a file that reached the api remote
// only after the rig was added (so the rig was fetched before the session), and the content reaches
// the model and the bead's commit; its writes there — its own write tool and shell commands, all
// allowed by the policy — fail on the read-only mount, and the snapshot and the remote are unchanged.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runGt } from '../support/cli.js';
import { gitIn } from '../support/git-fixtures.js';
import type { ModelServer, RecordedRequest, ScriptedTurn } from '../support/model-server.js';
import { startModelServer } from '../support/model-server.js';
import { removeTempDirs } from '../support/temp.js';
import type { ContextTown } from './context-rig-fixture.js';
import { makeContextTown, routeMarker, routesText, snapshotFiles } from './context-rig-fixture.js';

const claudeBin = fileURLToPath(
  new URL('../../node_modules/@anthropic-ai/claude-code-linux-x64/claude', import.meta.url),
);
const codexBin = fileURLToPath(new URL('../../node_modules/.bin/codex', import.meta.url));
const keyVar = 'GASTOWN_CONTEXT_TEST_KEY';
const polecat = 'nux';

afterAll(removeTempDirs);

/** One shell command: copy the api file into the worktree, then try three ways to change the rig. */
const probe =
  'cat ../.context/api/routes.js > seen.txt; ' +
  'echo tampered 2>/dev/null >> ../.context/api/routes.js; echo "append=$?" > probes.txt; ' +
  'touch ../.context/api/new.txt 2>/dev/null; echo "touch=$?" >> probes.txt; ' +
  'mv ../.context/api/README.md ../.context/api/moved.md 2>/dev/null; echo "mv=$?" >> probes.txt';

interface FeedEvent {
  kind: string;
  payload: Record<string, unknown>;
}

async function slingWith(
  town: ContextTown,
  agent: string,
): Promise<{ bead: string; out: Record<string, string> }> {
  const bead = await town.bead('Show runtime flags of accounts', [], '--context-rig', 'api');
  const result = await runGt(
    ['--town', town.root, '--json', 'sling', bead, 'dashboard', '--agent', agent, '--polecat', polecat],
    { env: { [keyVar]: 'sk-scripted', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' } },
  );
  expect(result.exitCode, result.stderr + result.stdout).toBe(0);
  return { bead, out: JSON.parse(result.stdout) as Record<string, string> };
}

const generations = (server: ModelServer): RecordedRequest[] =>
  server.requests.filter((request) => request.api !== 'other');

/** What every runtime must show: told, fetched, read, and nothing written. */
async function expectReadOnlyContext(town: ContextTown, server: ModelServer, bead: string): Promise<void> {
  const requests = generations(server);
  // The prompt names the rig, its path as the agent sees it, its branch and head.
  expect(JSON.stringify(requests[0]?.body)).toContain(
    `- api: ${town.contextPath} (branch main at ${town.head.slice(0, 12)})`,
  );
  // The file the agent read reached the model (only the read's result carries it) …
  expect(requests.slice(1).some((request) => JSON.stringify(request.body).includes(routeMarker))).toBe(true);
  // … and the worktree: the bead's commit holds the copy.
  const repo = join(town.root, 'dashboard', 'repo.git');
  const branch = `polecat/${polecat}/${bead}`;
  expect(await gitIn(repo, 'show', `${branch}:seen.txt`)).toBe(routesText.trim());
  const probes = await gitIn(repo, 'show', `${branch}:probes.txt`);
  for (const line of probes.split('\n')) expect(line).toMatch(/^(append|touch|mv)=[1-9]\d*$/);
  expect(probes.split('\n')).toHaveLength(3);
  // Nothing was written: the snapshot and the remote are as they were.
  expect(readFileSync(join(town.snapshot, 'routes.js'), 'utf8')).toBe(routesText);
  expect(await snapshotFiles(town.snapshot)).toEqual(['README.md', 'routes.js']);
  expect(await gitIn(town.api.path, 'rev-parse', 'main')).toBe(town.head);
  expect(await gitIn(town.api.path, 'show', 'main:routes.js')).toBe(routesText.trim());
  // The session's record says which head it read.
  const out = await town.ok('--json', 'feed', '--bead', bead, '-n', '0');
  const events = out
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as FeedEvent);
  expect(events.find((e) => e.kind === 'session.started')?.payload).toMatchObject({
    context_rigs: [{ name: 'api', branch: 'main', head: town.head }],
  });
}

describe(`context rigs for the real Claude Code${existsSync(claudeBin) ? '' : ' (failing: the claude binary is missing; npm ci installs it)'}`, () => {
  it('reads a file of the api rig and cannot change it', async () => {
    const server = await startModelServer();
    try {
      const town = await makeContextTown(
        `agents:\n  claude-code:\n    command: ${claudeBin}\n    base_url: ${server.url}\n` +
          `    model: claude-sonnet-4-5\n    api_key_env: ${keyVar}\n`,
      );
      const routes = join(town.contextPath, 'routes.js');
      server.push(
        { toolCalls: [{ name: 'Read', input: { file_path: routes } }] },
        { toolCalls: [{ name: 'Write', input: { file_path: routes, content: 'tampered\n' } }] },
        { toolCalls: [{ name: 'Bash', input: { command: probe } }] },
        { text: 'Read the api routes.' },
      );
      const { bead, out } = await slingWith(town, 'claude-code');
      expect(out).toMatchObject({ outcome: 'success', summary: 'Read the api routes.' });
      await expectReadOnlyContext(town, server, bead);
      // The Write tool was allowed by the policy and failed on the mount.
      const afterWrite = JSON.stringify(generations(server)[2]?.body);
      expect(afterWrite).toMatch(/read-only file system|EROFS/i);
    } finally {
      await server.close();
    }
  }, 240_000);
});

describe(`context rigs for the real Codex${existsSync(codexBin) ? '' : ' (failing: node_modules/.bin/codex is missing; npm ci installs it)'}`, () => {
  it('reads a file of the api rig and cannot change it', async () => {
    const server = await startModelServer();
    try {
      const town = await makeContextTown(
        `agents:\n  codex:\n    command: ${codexBin}\n    base_url: ${server.url}/v1\n` +
          `    model: gpt-5.5\n    api_key_env: ${keyVar}\n`,
      );
      const patch = `*** Begin Patch\n*** Add File: ${join(town.contextPath, 'patched.txt')}\n+tampered\n*** End Patch\n`;
      const exec = (cmd: string): ScriptedTurn => ({ toolCalls: [{ name: 'exec_command', input: { cmd } }] });
      server.push(
        exec(`cat ${join(town.contextPath, 'routes.js')}`),
        exec(`apply_patch <<'EOF'\n${patch}EOF\n`),
        exec(probe),
        { text: 'Read the api routes.' },
      );
      const { bead, out } = await slingWith(town, 'codex');
      expect(out).toMatchObject({ outcome: 'success', summary: 'Read the api routes.' });
      await expectReadOnlyContext(town, server, bead);
      expect(existsSync(join(town.snapshot, 'patched.txt'))).toBe(false);
      // apply_patch was allowed by the policy and failed on the mount.
      expect(JSON.stringify(generations(server)[2]?.body)).toContain('Failed to write file');
    } finally {
      await server.close();
    }
  }, 240_000);
});

describe('context rigs for a model loop (anthropic runtime)', () => {
  it('reads a file of the api rig with read_file and cannot change it', async () => {
    const server = await startModelServer();
    try {
      const town = await makeContextTown(
        `agents:\n  anthropic:\n    base_url: ${server.url}\n    model: claude-test\n    api_key_env: ${keyVar}\n`,
      );
      const routes = join(town.contextPath, 'routes.js');
      server.push(
        { toolCalls: [{ name: 'read_file', input: { path: routes } }] },
        { toolCalls: [{ name: 'write_file', input: { path: routes, content: 'tampered\n' } }] },
        {
          toolCalls: [
            { name: 'edit_file', input: { path: routes, old_text: 'routes', new_text: 'tampered' } },
          ],
        },
        { toolCalls: [{ name: 'run_command', input: { command: probe } }] },
        { text: 'Read the api routes.' },
      );
      const { bead, out } = await slingWith(town, 'anthropic');
      expect(out).toMatchObject({ outcome: 'success', summary: 'Read the api routes.' });
      await expectReadOnlyContext(town, server, bead);
      // The write and edit tools were allowed by the policy and failed on the mount.
      for (const at of [2, 3]) {
        expect(JSON.stringify(generations(server)[at]?.body)).toMatch(/read-only file system/i);
      }
    } finally {
      await server.close();
    }
  }, 240_000);
});
