// `gt policy check` and `gt policy explain` through the built binary, in a real town.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGt } from '../support/cli.js';
import { makeTempDir, removeTempDirs } from '../support/temp.js';
import { makeTown } from '../support/town.js';

let root: string;
let home: string;
let polecat: string;
const env = () => ({ HOME: home });

beforeAll(async () => {
  ({ root } = await makeTown());
  home = await makeTempDir('gt-policy-home');
  await mkdir(join(home, '.ssh'));
  await writeFile(join(home, '.ssh', 'id_rsa'), 'key');
  polecat = join(root, 'alpha', 'polecats', 'nux');
  await mkdir(join(polecat, 'src'), { recursive: true });
});
afterAll(removeTempDirs);

async function check(args: string[], cwd = polecat) {
  const result = await runGt(['policy', 'check', ...args], { cwd, env: env() });
  return result;
}

describe('gt policy check', () => {
  it('prints the decision as JSON and exits 0 even when it denies', async () => {
    const result = await check(['--tool', 'run', '--command', 'true && rm -rf ~', '--json']);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      decision: 'deny',
      rule: 'builtin:rm-outside-worktree',
      reason: expect.any(String) as unknown,
      part: 'rm -rf ~',
    });
  });

  it('prints a readable line', async () => {
    const allowed = await check(['--tool', 'run', '--command', 'npm test']);
    expect(allowed.stdout).toMatch(/^allow by builtin:dev-commands: /);
    const secret = await check(['--tool', 'read', '--path', '~/.ssh/id_rsa']);
    expect(secret.stdout).toMatch(/^deny by builtin:secrets: /);
  });

  it('takes the polecat directory it stands in as the worktree', async () => {
    const inside = await check(['--tool', 'write', '--path', 'src/new.ts', '--json'], join(polecat, 'src'));
    expect(JSON.parse(inside.stdout)).toMatchObject({ decision: 'allow', rule: 'builtin:worktree-files' });
    const sibling = await check(['--tool', 'write', '--path', '../furiosa/x.ts', '--json']);
    expect(JSON.parse(sibling.stdout)).toMatchObject({
      decision: 'deny',
      rule: 'builtin:file-write-outside-worktree',
    });
  });

  it("uses the rig's refinery with --rig, and --worktree when given", async () => {
    const refinery = join(root, 'alpha', 'refinery', 'x.ts');
    const byRig = await check(['--tool', 'write', '--path', refinery, '--rig', 'alpha', '--json'], root);
    expect(JSON.parse(byRig.stdout)).toMatchObject({ decision: 'allow' });
    const elsewhere = await check(
      ['--tool', 'write', '--path', refinery, '--worktree', polecat, '--json'],
      root,
    );
    expect(JSON.parse(elsewhere.stdout)).toMatchObject({ decision: 'deny' });
  });

  it('refuses --command and --path together, and needs a town', async () => {
    const both = await check(['--tool', 'run', '--command', 'ls', '--path', 'x']);
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toContain('--command, --path');
    const outside = await runGt(['policy', 'check', '--tool', 'run', '--command', 'ls'], {
      cwd: home,
      env: env(),
    });
    expect(outside.exitCode).toBe(5);
  });
});

describe('gt policy with a policy.yaml', () => {
  it('applies the town’s rules and lists them first', async () => {
    const { root: town } = await makeTown();
    await writeFile(
      join(town, 'policy.yaml'),
      '# house rules\nrules:\n  - id: no-docker\n    match: { command: "docker *" }\n    decision: deny\n    reason: no containers here\n',
    );
    const run = (args: string[]) => runGt(['--town', town, ...args], { env: env() });
    const decided = await run(['policy', 'check', '--tool', 'run', '--command', 'ls && docker ps', '--json']);
    expect(JSON.parse(decided.stdout)).toMatchObject({
      decision: 'deny',
      rule: 'no-docker',
      part: 'docker ps',
    });
    const explained = JSON.parse((await run(['policy', 'explain', '--json'])).stdout) as {
      file: string;
      rules: { rule: string; origin: string }[];
    };
    expect(explained.file).toBe(join(town, 'policy.yaml'));
    expect(explained.rules[0]).toMatchObject({ rule: 'no-docker', origin: 'user' });
    expect(explained.rules.at(-1)).toMatchObject({ rule: 'default', origin: 'default' });
    const text = await run(['policy', 'explain']);
    expect(text.stdout.split('\n')[1]).toMatch(
      /^ 1\. deny {2}no-docker — command="docker \*": no containers here$/,
    );
  });

  it('reports a bad policy.yaml with the file, the field and the line', async () => {
    const { root: town } = await makeTown();
    await writeFile(join(town, 'policy.yaml'), 'default: ask\nsandbox: docker\n');
    const result = await runGt(['--town', town, 'policy', 'explain'], { env: env() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(join(town, 'policy.yaml'));
    expect(result.stderr).toMatch(/sandbox: .* \(line 2\)/);
  });
});
