// addAllowRule: `gt approve --always` appends a rig-scoped allow rule to policy.yaml, keeping the
// file's comments and layout, and the new rule takes effect on the next load.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addAllowRule, escapeGlob, evaluate, loadPolicy } from '../../src/policy/index.js';
import { makeTempDir, removeTempDirs } from '../support/temp.js';

afterAll(removeTempDirs);

const original = `# Town policy — reviewed by the overseer
default: ask # ask for anything unknown

rules:
  # never touch production
  - id: no-prod
    match: { command: "*prod*" }
    decision: deny
    reason: production is off limits
budgets:
  bead: { usd: 5 } # per bead
`;

describe('addAllowRule', () => {
  it('appends a rig-scoped allow rule and keeps every comment', async () => {
    const dir = await makeTempDir('gt-policy-add');
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, original);
    const added = addAllowRule(
      file,
      { rig: 'alpha', tool: 'run', command: 'make deploy-staging' },
      'approved by the overseer',
    );
    expect(added).toEqual({ rule: 'policy.yaml#rules[1]', added: true });
    const text = readFileSync(file, 'utf8');
    for (const comment of [
      '# Town policy — reviewed by the overseer',
      '# ask for anything unknown',
      '# never touch production',
      '# per bead',
    ])
      expect(text).toContain(comment);
    const policy = loadPolicy(file);
    expect(policy.rules[1]).toEqual({
      match: { rig: 'alpha', tool: 'run', command: 'make deploy-staging' },
      decision: 'allow',
      reason: 'approved by the overseer',
    });
    expect(policy.budgets.bead.usd).toBe(5);
    expect(readdirSync(dir)).toEqual(['policy.yaml']);
  });

  it('takes effect for that rig only, after the rules already there', async () => {
    const dir = await makeTempDir('gt-policy-add');
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, original);
    addAllowRule(file, { rig: 'alpha', tool: 'run', command: 'terraform plan*' }, 'plans are fine');
    const policy = loadPolicy(file);
    const env = { worktree: dir, home: dir, townRoot: dir };
    const plan = { tool: 'run', command: 'terraform plan -out x' };
    expect(evaluate(policy, { ...plan, rig: 'alpha' }, env)).toMatchObject({
      decision: 'allow',
      rule: 'policy.yaml#rules[1]',
    });
    expect(evaluate(policy, { ...plan, rig: 'beta' }, env)).toMatchObject({
      decision: 'ask',
      rule: 'default',
    });
    expect(evaluate(policy, { ...plan, command: 'terraform plan prod', rig: 'alpha' }, env).rule).toBe(
      'no-prod',
    );
  });

  it('creates the file when there is none, and does not add the same rule twice', async () => {
    const file = join(await makeTempDir('gt-policy-add'), 'policy.yaml');
    const rule = { rig: 'alpha', tool: 'run', command: escapeGlob('ls *.ts') };
    expect(addAllowRule(file, rule, 'listing')).toEqual({ rule: 'policy.yaml#rules[0]', added: true });
    expect(addAllowRule(file, rule, 'listing again')).toEqual({ rule: 'policy.yaml#rules[0]', added: false });
    expect(loadPolicy(file).rules).toHaveLength(1);
    expect(readFileSync(file, 'utf8')).toMatch(/^# Gas Town policy/);
  });

  it('turns a flow-style empty list into a block list', async () => {
    const file = join(await makeTempDir('gt-policy-add'), 'policy.yaml');
    writeFileSync(file, 'rules: [] # none yet\n');
    addAllowRule(file, { rig: 'alpha', tool: 'read', path: 'docs/**' }, 'docs are fine');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# none yet');
    expect(text).toMatch(/rules:.*\n\s+- match:/);
  });

  it('refuses to touch a policy.yaml that does not validate', async () => {
    const file = join(await makeTempDir('gt-policy-add'), 'policy.yaml');
    writeFileSync(file, 'default: maybe\n');
    expect(() => addAllowRule(file, { rig: 'alpha', tool: 'run', command: 'ls' }, 'x')).toThrow(/default/);
    expect(readFileSync(file, 'utf8')).toBe('default: maybe\n');
  });
});
