// The sandboxes of whole agent processes (Codex's AgentBox, Claude Code's) mount the session's
// context rigs as every step's sandbox does: read-only, beside the worktree, never writable.
import { describe, expect, it } from 'vitest';
import { agentSandboxArgv } from '../../src/agents/agent-sandbox.js';
import { sandboxedArgv } from '../../src/agents/claude-code/sandbox-wrap.js';
import { contextMountsOf } from '../../src/agents/context-prompt.js';
import type { SessionStart } from '../../src/agents/index.js';
import type { SandboxHost } from '../../src/sandbox/index.js';

const host: SandboxHost = { runningAsRoot: true, system: [{ path: '/usr', kind: 'bind' }], masks: [] };
const source = '/srv/town/api/context/0667ccf42da7a1b2c3d4e5f60718293a4b5c6d7e';
const mount = '/srv/town/app/polecats/.context/api';
const start: Pick<SessionStart, 'worktree' | 'contextRigs'> = {
  worktree: '/srv/town/app/polecats/ace',
  contextRigs: [{ name: 'api', path: mount, source, branch: 'main', head: '0667ccf42da7' }],
};

/** Each `[flag, from, to]` triple of the argv. */
const binds = (args: string[]) =>
  args.flatMap((arg, i) => (arg.endsWith('bind') ? [[arg, args[i + 1], args[i + 2]].join(' ')] : []));

describe('context rigs in the agent sandboxes', () => {
  it('the session start names the snapshots to mount', () => {
    expect(contextMountsOf(start)).toEqual([{ name: 'api', path: source }]);
  });

  it('Codex’s box binds each read-only beside the worktree', () => {
    const { args } = agentSandboxArgv(
      {
        worktree: start.worktree,
        townRoot: '/srv/town',
        writable: [],
        readOnly: [],
        env: {},
        allow: [],
        contextRigs: contextMountsOf(start),
      },
      '/opt/codex',
      [],
      host,
    );
    expect(binds(args)).toContain(`--ro-bind ${source} ${mount}`);
    expect(args.filter((arg) => arg === source)).toHaveLength(1);
  });

  it('Claude Code’s box binds each read-only beside the worktree', () => {
    const { args } = sandboxedArgv(
      {
        worktree: start.worktree,
        townRoot: '/srv/town',
        stateDir: '/srv/town/.gt/agents/claude/gt-1',
        readOnly: [],
        egress: { socket: '/srv/town/.gt/egress.sock', bridge: '/opt/gt/bridge.js', node: '/usr/bin/node' },
        env: {},
        allow: [],
        contextRigs: contextMountsOf(start),
      },
      '/opt/claude',
      [],
      host,
    );
    expect(binds(args)).toContain(`--ro-bind ${source} ${mount}`);
    expect(args.filter((arg) => arg === source)).toHaveLength(1);
  });
});
