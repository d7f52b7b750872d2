// docs/reference/config.md is generated from the zod schemas: rendering it again must give the
// committed page byte for byte (run `npm run docs:config` after changing a schema), and every key
// must carry a description. The walk itself is checked on a small schema.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  configReferencePath,
  renderConfigReference,
  rigConfigSchema,
  townConfigSchema,
  undocumentedKeys,
} from '../../src/town/index.js';
import { schemaFields } from '../../src/town/schema-fields.js';

const page = fileURLToPath(new URL(`../../${configReferencePath}`, import.meta.url));

describe('the settings reference', () => {
  it('is what the schemas render today (else run `npm run docs:config`)', async () => {
    expect(await readFile(page, 'utf8')).toBe(renderConfigReference());
  });

  it('describes every key of town.yaml and rig.yaml', () => {
    expect(undocumentedKeys()).toEqual([]);
  });

  it('lists every leaf key of both schemas', async () => {
    const text = await readFile(page, 'utf8');
    for (const schema of [townConfigSchema, rigConfigSchema]) {
      for (const field of schemaFields(schema)) expect(text).toContain(`\`${field.key}\``);
    }
    expect(text).toContain('| `merge_mode` | one of `local`, `push`, `pr` | `local` |');
  });

  it('reads types, defaults and descriptions through the wrappers', () => {
    const schema = z.strictObject({
      count: z.number().int().min(1).max(9).default(3).describe('how many'),
      mode: z.enum(['a', 'b']).optional().describe('which'),
      group: z
        .strictObject({ url: z.url().nullable().default(null).describe('where') })
        .prefault({})
        .describe('a group'),
      byName: z.record(z.string(), z.strictObject({ on: z.boolean().describe('flag') })).describe('map'),
      bare: z.string(),
    });
    const fields = schemaFields(schema).map((f) => [f.key, f.type, f.defaultValue, f.description, f.group]);
    expect(fields).toEqual([
      ['count', 'integer 1–9', 3, 'how many', false],
      ['mode', 'one of `a`, `b`', undefined, 'which', false],
      ['group', 'group', {}, 'a group', true],
      ['group.url', 'URL', null, 'where', false],
      ['byName', 'map', undefined, 'map', true],
      ['byName.<pattern>', 'group', undefined, undefined, true],
      ['byName.<pattern>.on', 'boolean', undefined, 'flag', false],
      ['bare', 'string', undefined, undefined, false],
    ]);
  });
});
