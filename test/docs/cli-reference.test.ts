// docs/reference/cli.md is generated from the commander program (scripts/cli-reference.mjs); this
// regenerates it from the built program and compares, so the reference cannot drift from the code.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const stale = 'docs/reference/cli.md is out of date: run `npm run docs` and commit docs/reference/cli.md';

describe('the command reference', () => {
  it('is exactly what the program generates (regenerate with `npm run docs`)', async () => {
    const generated = await execa('node', ['scripts/cli-reference.mjs', '--stdout'], { cwd: root });
    const committed = readFileSync(`${root}docs/reference/cli.md`, 'utf8');
    expect(committed, stale).toBe(generated.stdout + '\n');
  });

  it('covers nested commands with their arguments and options', () => {
    const text = readFileSync(`${root}docs/reference/cli.md`, 'utf8');
    expect(text).toContain('## `gt bd`');
    expect(text).toContain('### `gt bd create`');
    expect(text).toContain('#### `gt bd dep add`');
    expect(text).toContain('gt bd create [options] <title>');
    expect(text).toContain('| `--id <id>` |');
    expect(text).toMatch(/\| `--town <dir>` \| the town directory/);
  });
});
