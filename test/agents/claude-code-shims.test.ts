// `bd` and `gt` inside a sandboxed Claude Code polecat: the real `claude` binary, driven by the
// scripted model server, runs them from its Bash tool inside bubblewrap, where the town is
// invisible. The forwarding shims send each command to the session, which runs it on the host as
// the polecat: `bd ready` lists the polecat's bead, `bd create --deps discovered-from:` makes a bead
// in the town with the polecat as actor and the dependency, and the Overseer's `gt rig remove`
// exits non-zero and changes nothing. Each forwarded command is an `agent.town_command` in the
// bead's trace.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sandboxAvailability } from '../../src/sandbox/index.js';
import { runGt } from '../support/cli.js';
import { startModelServer } from '../support/model-server.js';
import { makeRigTown, type RigTown } from '../support/rig-town.js';
import { removeTempDirs } from '../support/temp.js';

const claudeBin = fileURLToPath(
  new URL('../../node_modules/@anthropic-ai/claude-code-linux-x64/claude', import.meta.url),
);
const haveClaude = existsSync(claudeBin);
const sandbox = sandboxAvailability();
const keyVar = 'GASTOWN_CLAUDE_TEST_KEY';
const polecat = 'nux';

afterAll(removeTempDirs);

interface FeedEvent {
  kind: string;
  actor: string;
  bead_id?: string;
  payload: Record<string, unknown>;
}

async function feed(town: RigTown, ...filter: string[]): Promise<FeedEvent[]> {
  const out = await town.ok('--json', 'feed', ...filter, '-n', '0');
  return out
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as FeedEvent);
}

const missing = !haveClaude
  ? ' (failing: the claude binary is missing from node_modules; npm ci installs it)'
  : !sandbox.available
    ? ` (failing: no sandbox here: ${sandbox.reason ?? 'bubblewrap is unavailable'})`
    : '';

describe(`bd and gt inside a sandboxed claude-code polecat${missing}`, () => {
  it('forward to the session: bd ready and bd create work as the polecat, gt rig remove is refused', async () => {
    const server = await startModelServer();
    try {
      const town = await makeRigTown();
      await writeFile(
        join(town.root, 'town.yaml'),
        `name: testtown\nagents:\n  claude-code:\n    command: ${claudeBin}\n    base_url: ${server.url}\n` +
          `    model: claude-sonnet-4-5\n    api_key_env: ${keyVar}\n`,
      );
      // The policy lets the Bash calls through: what stops `gt rig remove` is the shim's allowlist.
      await writeFile(
        join(town.root, 'policy.yaml'),
        'sandbox: bubblewrap\nrules:\n' +
          '  - match: { tool: run, command: "bd *" }\n    decision: allow\n    reason: beads\n' +
          '  - match: { tool: run, command: "gt *" }\n    decision: allow\n    reason: town commands\n',
      );
      const bead = await town.bead('Fix the login page', []);
      // Slung, the polecat's bead is in progress: `bd ready` lists the town's other open work.
      const other = await town.bead('Review the docs', []);
      const create = `bd create "found a bug" --deps discovered-from:${bead} --json`;
      server.push(
        { toolCalls: [{ name: 'Bash', input: { command: 'bd ready --json' } }] },
        { toolCalls: [{ name: 'Bash', input: { command: create } }] },
        {
          toolCalls: [{ name: 'Bash', input: { command: 'gt rig remove web; echo "rig remove exited $?"' } }],
        },
        { text: 'Filed the bug I found.' },
      );
      const result = await runGt(
        [
          '--town',
          town.root,
          '--json',
          'sling',
          bead,
          town.rig,
          '--agent',
          'claude-code',
          '--polecat',
          polecat,
        ],
        { env: { [keyVar]: 'sk-ant-scripted', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' } },
      );
      expect(result.exitCode, result.stderr).toBe(0);

      const events = await feed(town, '--bead', bead);
      // Claude ran inside the sandbox: no note that it ran on the host.
      const messages = events.filter((e) => e.kind === 'agent.message').map((e) => String(e.payload['text']));
      expect(messages.join('\n')).not.toContain('runs on the host');
      const outputs = events.filter((e) => e.kind === 'tool.result').map((e) => String(e.payload['output']));
      expect(outputs).toHaveLength(3);
      // bd ready, from inside the sandbox, lists the town's ready beads.
      expect(outputs[0]).toContain(other);

      // The new bead is in the town, made by the polecat, discovered from its bead.
      const actor = `${town.rig}/polecats/${polecat}`;
      const newId = (JSON.parse(outputs[1] ?? '{}') as { id?: string }).id ?? '';
      const created = (await feed(town, '--bead', newId)).find((e) => e.kind === 'bead.created');
      expect(created?.actor).toBe(actor);
      const shown = await town.ok('--json', 'bd', 'show', newId);
      expect(shown).toContain('found a bug');
      expect(shown).toContain('discovered-from');
      expect(shown).toContain(bead);

      // The Overseer's command was refused by the shim, and the rig is still there.
      expect(outputs[2]).toContain("`gt rig` is not a polecat's command");
      expect(outputs[2]).toContain('rig remove exited 2');
      expect(await town.ok('rig', 'list')).toContain(town.rig);

      const forwarded = events.filter((e) => e.kind === 'agent.town_command');
      expect(forwarded.map((e) => [e.actor, e.payload['argv'], e.payload['exit_code']])).toEqual([
        [actor, ['bd', 'ready', '--json'], 0],
        [actor, ['bd', 'create', 'found a bug', '--deps', `discovered-from:${bead}`, '--json'], 0],
        [actor, ['rig', 'remove', 'web'], 2],
      ]);
    } finally {
      await server.close();
    }
  });
});
