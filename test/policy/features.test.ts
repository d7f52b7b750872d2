// The built-in profile against the features of ordinary tools that run code or reach out
// (features-corpus.ts): each decided by the rule the corpus names, each near-miss allowed. A
// failing row names its command and the expected and actual decision and rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorpusCase } from './corpus.js';
import type { PolicyFixture } from './fixture.js';
import { makePolicyFixture } from './fixture.js';
import {
  gitDirWrites,
  gitFeatures,
  nearMisses,
  remoteFeatures,
  tmpLimits,
  toolFeatures,
} from './features-corpus.js';
import { defaultPolicy, evaluate } from '../../src/policy/index.js';
import { removeTempDirs } from '../support/temp.js';

let fx: PolicyFixture;
beforeAll(async () => {
  fx = await makePolicyFixture();
});
afterAll(removeTempDirs);

const label = (c: CorpusCase) => `${c.call.tool}: ${c.call.command ?? c.call.path ?? ''}`;

function check(c: CorpusCase): void {
  const decision = evaluate(defaultPolicy(), fx.place(c.call), fx.env);
  const actual = `${decision.decision} by ${decision.rule}`;
  const wanted = `${c.expect} by ${c.rule ?? decision.rule}`;
  expect(actual, `${label(c)}\n  expected ${wanted}\n  got      ${actual} (${decision.reason})`).toBe(wanted);
}

describe('features of ordinary tools that run code or reach out', () => {
  const groups = { gitFeatures, toolFeatures, remoteFeatures, gitDirWrites, tmpLimits };
  for (const [group, cases] of Object.entries(groups))
    it.each(cases.map((c) => [label(c), c] as const))(`${group}: %s`, (_name, c) => {
      expect(c.expect).not.toBe('allow');
      check(c);
    });

  it.each(nearMisses.map((c) => [label(c), c] as const))('allows the near-miss %s', (_name, c) => {
    expect(c.expect).toBe('allow');
    check(c);
  });
});

describe('the private /tmp', () => {
  it('is /tmp itself when the session names none', () => {
    const env = { ...fx.env, tmp: undefined };
    const decide = (command: string) => evaluate(defaultPolicy(), { tool: 'run', command }, env).decision;
    expect(decide('echo x > /tmp/gt-policy-probe.txt')).toBe('allow');
    expect(decide('rm -rf /tmp/gt-policy-probe')).toBe('allow');
    expect(decide('rm -rf /tmp')).toBe('deny');
  });

  it('does not exist without the sandbox, unless the session names one', () => {
    const policy = { ...defaultPolicy(), sandbox: 'none' as const };
    const decide = (env: typeof fx.env) =>
      evaluate(policy, { tool: 'run', command: 'echo x > /tmp/gt-policy-probe.txt' }, env).decision;
    expect(decide({ ...fx.env, tmp: undefined })).toBe('ask');
    expect(decide({ ...fx.env, tmp: '/tmp' })).toBe('allow');
  });

  it('never holds the town, the home or another polecat, even when they live below it', () => {
    const env = { ...fx.env, tmp: fx.town.slice(0, fx.town.lastIndexOf('/')) };
    const decide = (command: string) => evaluate(defaultPolicy(), { tool: 'run', command }, env);
    expect(decide(`rm -rf ${fx.town}/alpha/polecats/furiosa`)).toMatchObject({
      decision: 'deny',
      rule: 'builtin:rm-outside-worktree',
    });
    expect(decide(`echo x > ${fx.home}/.bashrc`).decision).toBe('ask');
    expect(decide(`rm -rf ${fx.outside}`).decision).toBe('allow');
  });
});
