// The built-in profile against the corpus: every dangerous call is denied or asked (by the rule
// the corpus names), every harmless one is allowed — on a real worktree and home, with a symlink
// inside the worktree that points outside.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyFixture } from './fixture.js';
import { makePolicyFixture } from './fixture.js';
import { dangerous, harmless } from './corpus.js';
import { defaultPolicy, evaluate } from '../../src/policy/index.js';
import { removeTempDirs } from '../support/temp.js';

let fx: PolicyFixture;
beforeAll(async () => {
  fx = await makePolicyFixture();
});
afterAll(removeTempDirs);

const label = (c: (typeof dangerous)[number]) =>
  `${c.call.tool}: ${c.call.command ?? c.call.path ?? '(no arguments)'}`;

describe('the corpus', () => {
  it('holds at least 40 dangerous and 40 harmless calls, commands and paths alike', () => {
    for (const list of [dangerous, harmless]) {
      expect(list.filter((c) => c.call.command !== undefined).length).toBeGreaterThanOrEqual(40);
      expect(list.filter((c) => c.call.path !== undefined).length).toBeGreaterThanOrEqual(10);
    }
    expect(dangerous.every((c) => c.expect !== 'allow')).toBe(true);
    expect(harmless.every((c) => c.expect === 'allow')).toBe(true);
  });
});

describe('the default profile', () => {
  it.each(dangerous.map((c) => [label(c), c] as const))('stops %s', (_name, c) => {
    const decision = evaluate(defaultPolicy(), fx.place(c.call), fx.env);
    expect({ decision: decision.decision, rule: decision.rule }).toEqual({
      decision: c.expect,
      rule: c.rule ?? decision.rule,
    });
  });

  it.each(harmless.map((c) => [label(c), c] as const))('allows %s', (_name, c) => {
    const decision = evaluate(defaultPolicy(), fx.place(c.call), fx.env);
    expect(decision, decision.reason).toMatchObject({ decision: 'allow' });
  });

  it('names the part of a command that decided', () => {
    const decision = evaluate(defaultPolicy(), { tool: 'run', command: 'ls && true && rm -rf ~' }, fx.env);
    expect(decision).toEqual({
      decision: 'deny',
      rule: 'builtin:rm-outside-worktree',
      reason: expect.stringContaining('outside the worktree') as unknown,
      part: 'rm -rf ~',
    });
  });

  it('judges a command by its worst part: deny beats ask beats allow', () => {
    const env = fx.env;
    expect(evaluate(defaultPolicy(), { tool: 'run', command: 'ls; curl https://x.io' }, env).decision).toBe(
      'ask',
    );
    expect(
      evaluate(defaultPolicy(), { tool: 'run', command: 'curl https://x.io; sudo id; ls' }, env).decision,
    ).toBe('deny');
  });

  it('treats the cwd as the worktree unless a cd says otherwise', () => {
    const inSrc = { ...fx.env, cwd: `${fx.worktree}/src` };
    expect(evaluate(defaultPolicy(), { tool: 'run', command: 'rm -rf ../build' }, inSrc).decision).toBe(
      'allow',
    );
    expect(evaluate(defaultPolicy(), { tool: 'run', command: 'rm -rf ../../furiosa' }, inSrc).decision).toBe(
      'deny',
    );
  });

  it('asks the human when there is neither a command nor a path, unless the tool is known', () => {
    expect(evaluate(defaultPolicy(), { tool: 'custom' }, fx.env)).toMatchObject({
      decision: 'ask',
      rule: 'default',
    });
  });
});
