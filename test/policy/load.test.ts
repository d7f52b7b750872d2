// Loading policy.yaml: defaults, a missing file, and errors that name the file, the field and the line.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GasTownError } from '../../src/errors.js';
import { budgetsOf, defaultPolicy, explainPolicy, loadPolicy } from '../../src/policy/index.js';
import { makeTempDir, removeTempDirs } from '../support/temp.js';

afterAll(removeTempDirs);

async function write(text: string): Promise<string> {
  const file = join(await makeTempDir('gt-policy-load'), 'policy.yaml');
  writeFileSync(file, text);
  return file;
}

function failure(file: string): GasTownError {
  try {
    loadPolicy(file);
  } catch (error) {
    if (error instanceof GasTownError) return error;
    throw error;
  }
  throw new Error(`${file} loaded without an error`);
}

describe('loadPolicy', () => {
  it('returns the built-in profile alone when the file is missing', async () => {
    const dir = await makeTempDir('gt-policy-load');
    const policy = loadPolicy(join(dir, 'policy.yaml'));
    expect(policy).toEqual(defaultPolicy());
    expect(policy).toMatchObject({
      default: 'ask',
      extends_default: true,
      sandbox: 'bubblewrap',
      file: undefined,
    });
    expect(policy.approvals.timeout_seconds).toBe(600);
  });

  it('fills defaults and keeps budgets', async () => {
    const file = await write(
      'budgets:\n  bead: { wall_seconds: 900, usd: 2.5 }\n  session: { tokens: 100000 }\n',
    );
    const policy = loadPolicy(file);
    expect(policy.file).toBe(file);
    expect(budgetsOf(policy)).toEqual({ bead: { wall_seconds: 900, usd: 2.5 }, session: { tokens: 100000 } });
    expect(policy.rules).toEqual([]);
  });

  it('names the file, the field path and the line of a bad value', async () => {
    const file = await write(
      'default: ask\nrules:\n  - match: { tool: run }\n    decision: allow\n    reason: ok\n  - match: { tool: run }\n    decision: sometimes\n    reason: bad\n',
    );
    const error = failure(file);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain(file);
    expect(error.message).toContain('rules[1].decision');
    expect(error.message).toContain('(line 7)');
    expect(error.ids).toMatchObject({ file, field: 'rules[1].decision' });
  });

  it('names an unknown key and a missing one', async () => {
    const error = failure(await write('rules:\n  - match: { tool: run, comand: ls }\n    decision: deny\n'));
    expect(error.message).toMatch(/rules\[0\]\.match\.comand: .* \(line 2\)/);
    expect(error.message).toMatch(/rules\[0\]\.reason: /);
  });

  it('rejects an invalid /regex/ and duplicate ids', async () => {
    const bad = failure(
      await write('rules:\n  - match: { command: "/([a-z/" }\n    decision: deny\n    reason: x\n'),
    );
    expect(bad.message).toMatch(/rules\[0\]\.match\.command: not a valid regular expression/);
    const twice = failure(
      await write(
        'rules:\n  - { id: a, decision: deny, reason: x }\n  - { id: a, decision: allow, reason: y }\n',
      ),
    );
    expect(twice.message).toMatch(/rules\[1\]\.id: duplicate rule id a \(line 3\)/);
  });

  it('reports broken YAML with its line', async () => {
    const error = failure(await write('rules:\n  - match: { tool: run\n    decision: deny\n'));
    expect(error.message).toContain(fileOf(error));
    expect(error.message).toMatch(/not valid YAML: .*line \d+/);
  });
});

function fileOf(error: GasTownError): string {
  return error.ids.file ?? '';
}

describe('explainPolicy', () => {
  it('lists user rules, then the built-in profile, then the default, with their origin', async () => {
    const policy = loadPolicy(
      await write(
        'default: deny\nrules:\n  - id: tests\n    match: { tool: run, command: "npm test" }\n    decision: allow\n    reason: tests are fine\n',
      ),
    );
    const rules = explainPolicy(policy);
    expect(rules[0]).toEqual({
      rule: 'tests',
      origin: 'user',
      decision: 'allow',
      reason: 'tests are fine',
      match: 'tool="run" command="npm test"',
    });
    expect(rules.slice(1, -1).every((r) => r.origin === 'builtin' && r.rule.startsWith('builtin:'))).toBe(
      true,
    );
    expect(rules.at(-1)).toMatchObject({ rule: 'default', origin: 'default', decision: 'deny' });
    expect(rules.map((r) => r.rule)).toContain('builtin:secrets');
  });

  it('leaves the built-in profile out when extends_default is false', async () => {
    const rules = explainPolicy(loadPolicy(await write('extends_default: false\n')));
    expect(rules.map((r) => r.rule)).toEqual(['default']);
  });
});
