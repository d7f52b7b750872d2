// Parsed config is reused only while the file's text is unchanged: every edit applies on the next
// read, a broken edit fails with its file and line, and what one caller changes is not seen by the next.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadPolicy } from '../../src/policy/index.js';
import { readYamlFile } from '../../src/town/yaml-file.js';
import { makeTempDir, removeTempDirs } from '../support/temp.js';

afterAll(removeTempDirs);

const schema = z.strictObject({ name: z.string(), tags: z.array(z.string()).default([]) });

describe('readYamlFile', () => {
  it('sees every edit, fails on a broken one, and hands out independent copies', async () => {
    const file = join(await makeTempDir('gt-yaml-reuse'), 'rig.yaml');
    writeFileSync(file, 'name: alpha\n');
    const first = await readYamlFile(file, schema);
    expect(first).toEqual({ name: 'alpha', tags: [] });
    first.tags.push('changed by a caller');
    expect(await readYamlFile(file, schema)).toEqual({ name: 'alpha', tags: [] });

    writeFileSync(file, 'name: beta\n');
    expect((await readYamlFile(file, schema)).name).toBe('beta');

    writeFileSync(file, 'name: beta\nbogus: 1\n');
    await expect(readYamlFile(file, schema)).rejects.toThrow(file);
    writeFileSync(file, 'name: [unclosed\n');
    await expect(readYamlFile(file, schema)).rejects.toThrow(`${file} is not valid YAML`);

    writeFileSync(file, 'name: beta\n');
    expect((await readYamlFile(file, schema)).name).toBe('beta');
  });
});

describe('loadPolicy', () => {
  it('applies an edit at once and names the line of a broken one', async () => {
    const file = join(await makeTempDir('gt-policy-reuse'), 'policy.yaml');
    writeFileSync(file, 'default: ask\n');
    expect(loadPolicy(file).default).toBe('ask');
    expect(loadPolicy(file)).toBe(loadPolicy(file));

    writeFileSync(file, 'default: deny\n');
    expect(loadPolicy(file).default).toBe('deny');

    writeFileSync(file, 'default: deny\nsandbox: maybe\n');
    expect(() => loadPolicy(file)).toThrow(/sandbox.*\(line 2\)/);
  });

  it('shares a frozen policy, so no caller can change it for the others', async () => {
    const file = join(await makeTempDir('gt-policy-reuse'), 'policy.yaml');
    writeFileSync(file, 'default: ask\n');
    const policy = loadPolicy(file);
    expect(Object.isFrozen(policy)).toBe(true);
    expect(Object.isFrozen(policy.rules)).toBe(true);
    expect(Object.isFrozen(policy.approvals)).toBe(true);
  });
});
