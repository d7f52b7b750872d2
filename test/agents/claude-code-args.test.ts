// The Overseer's extra arguments for Claude Code cannot take governance away: they come after ours,
// so a --settings or a skipped permission check among them would win over the policy's hooks.
import { describe, expect, it } from 'vitest';
import { checkExtraArgs } from '../../src/agents/claude-code/launch.js';

describe('claude-code extra arguments', () => {
  it('lets harmless options through', () => {
    expect(() => checkExtraArgs(['--effort', 'medium', '--add-dir', 'docs'])).not.toThrow();
  });

  it.each([
    ['--settings', '{"disableAllHooks":true}'],
    ['--dangerously-skip-permissions'],
    ['--permission-mode=bypassPermissions'],
    ['--mcp-config', 'servers.json'],
    ['--setting-sources', 'project'],
  ])('refuses %s, naming the town.yaml field', (...args: string[]) => {
    expect(() => checkExtraArgs(args)).toThrow(/agents\.claude-code\.args: --[a-z-]+ is set by gt/);
  });
});
