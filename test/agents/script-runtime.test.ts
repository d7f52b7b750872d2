// The script runtime passes the agent runtime contract; its task is the bead's shell steps.
import { describe, expect, it } from 'vitest';
import { ScriptRuntime } from '../../src/agents/index.js';
import { agentRuntimeContract, recordingGateway } from './runtime-contract.js';

agentRuntimeContract('script', {
  runtime: () => new ScriptRuntime(),
  task: (goal) => ({ beadId: 'gt-test', title: 'contract', steps: goal.commands }),
});

describe('script runtime', () => {
  it('fails at once when the bead has no steps', async () => {
    const session = new ScriptRuntime().start({
      sessionId: 's',
      worktree: '/nonexistent',
      task: { beadId: 'gt-empty', title: 'nothing to do', steps: [] },
      tools: recordingGateway(),
      config: {},
      env: {},
    });
    const events = [];
    for await (const event of session.events) events.push(event);
    expect(events).toEqual([
      { type: 'done', outcome: 'failure', summary: 'bead gt-empty has no steps to run' },
    ]);
  });
});
