// `docs/reference/config.md`, rendered from the zod schemas of town.yaml and rig.yaml. The page is
// generated (`npm run docs:config`) and a test renders it again and compares, so the documented
// keys, types and defaults cannot drift from what `gt` accepts. Descriptions live on the schemas.
import type { z } from 'zod';
import { townConfigSchema } from './config.js';
import { rigConfigSchema } from './rig-config.js';
import type { SchemaField } from './schema-fields.js';
import { schemaFields } from './schema-fields.js';

export const configReferencePath = 'docs/reference/config.md';

const intro = `# Settings reference: \`town.yaml\` and \`rig.yaml\`

<!-- Generated from the zod schemas in src/town/config.ts and src/town/rig-config.ts by
     \`npm run docs:config\`; test/town/config-reference.test.ts fails when it is out of date.
     Edit the schemas' descriptions, not this page. -->

Both files are YAML. \`gt\` validates a file every time it reads it and names the file, the key and
the problem when something is wrong; a key left out takes its default. Keys not listed here are
refused, so a typo does not pass silently.

Change a rig's settings without editing the file:

\`\`\`sh
gt rig set app merge_mode pr          # values are parsed by the key's type and validated
gt rig set app github.repo acme/app   # dotted keys reach nested settings
gt rig unset app check                # back to the default
gt rig show app                       # every setting, defaults included (--json for scripts)
\`\`\`

\`gt rig add\` takes the common ones as flags: \`--merge-mode\`, \`--github\`, \`--check\`, \`--max-polecats\`.
`;

/** The whole page, deterministic for a given pair of schemas. */
export function renderConfigReference(): string {
  return [
    intro,
    section(
      'town.yaml',
      'At the town root: the town-wide defaults, caps and runtimes. Edits apply on the next command or daemon tick.',
      townConfigSchema,
    ),
    section(
      'rig.yaml',
      'In each rig directory (`<town>/<rig>/rig.yaml`): where the code comes from and how changes land. Read afresh on every Refinery tick.',
      rigConfigSchema,
    ),
  ].join('\n');
}

/** Settings without a description: the test fails on any, so every key is documented. */
export function undocumentedKeys(): string[] {
  return [
    ...schemaFields(townConfigSchema).map((f) => ({ ...f, key: `town.yaml ${f.key}` })),
    ...schemaFields(rigConfigSchema).map((f) => ({ ...f, key: `rig.yaml ${f.key}` })),
  ]
    .filter((f) => !f.description?.trim())
    .map((f) => f.key);
}

function section(file: string, about: string, schema: z.ZodType): string {
  const rows = schemaFields(schema).map(row);
  return [
    `## \`${file}\``,
    '',
    about,
    '',
    '| key | type | default | meaning |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

function row(field: SchemaField): string {
  const key = field.group ? `**\`${field.key}\`**` : `\`${field.key}\``;
  const type = field.group ? field.type : `${field.type}${field.nullable ? ' or `null`' : ''}`;
  return `| ${key} | ${cell(type)} | ${cell(defaultOf(field))} | ${cell(field.description ?? '')} |`;
}

function defaultOf(field: SchemaField): string {
  if (field.group) return '';
  const value = field.defaultValue;
  if (value !== undefined) return `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
  return field.optional ? 'unset' : 'required';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
