// Every ledger event kind the town appends has a readable line (src/ledger/describe.ts), found by
// reading the sources: a kind written anywhere in src/ without a describer fails here, naming it.
// Also: pull requests and failed tool calls read as sentences, with the error redacted and cut.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../../src/ledger/index.js';
import { describeEvent, describedKinds, toolErrorChars } from '../../src/ledger/index.js';

const srcDir = fileURLToPath(new URL('../../src', import.meta.url));
const kindLiteral = /'([a-z][a-z_]*)\.([a-z][a-z_]*)'/g;
/** Where a literal is certainly an event kind: `kind: 'x.y'`, `record('x.y'`, `journal?.('x.y'`, `X = 'x.y'` for *Kind(s). */
const kindContexts = [
  /kind:\s*(?:[^,'\n]*\?\s*)?'([a-z][a-z_]*\.[a-z][a-z_]*)'/g,
  /(?:record|journal|append)(?:\?\.)?\(\s*'([a-z][a-z_]*\.[a-z][a-z_]*)'/g,
  /[kK]ind\w*\s*=\s*'([a-z][a-z_]*\.[a-z][a-z_]*)'/g,
];
/** A literal of an event family that is not a kind: file names (`rig.yaml`, `town.db`). */
const fileSuffix = /^(yaml|yml|json|jsonl|db|log|js|ts|html|git|md|toml|txt)$/;

function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts')
      ? [{ file: relative(srcDir, path), text: readFileSync(path, 'utf8') }]
      : [];
  });
}

/** Kinds a body of source appends: literals in a kind context, and any literal of a known event family. */
export function kindsIn(
  files: { file: string; text: string }[],
  knownKinds: readonly string[],
): Map<string, string> {
  const found = new Map<string, string>();
  const families = new Set(knownKinds.map((kind) => kind.split('.')[0]));
  for (const { file, text } of files)
    for (const context of kindContexts)
      for (const match of text.matchAll(context)) {
        found.set(match[1]!, file);
        families.add(match[1]!.split('.')[0]);
      }
  for (const { file, text } of files)
    for (const match of text.matchAll(kindLiteral)) {
      const [, family, name] = match;
      if (families.has(family) && !fileSuffix.test(name!) && !found.has(`${family}.${name}`))
        found.set(`${family}.${name}`, file);
    }
  return found;
}

let seq = 0;
function event(kind: string, payload: Record<string, unknown>): LedgerEvent {
  return {
    seq: ++seq,
    ts: '2030-01-01T00:00:00.000Z',
    kind,
    actor: 'web/refinery',
    payload,
    prev_hash: '',
    hash: '',
  };
}

describe('ledger event descriptions', () => {
  it('describes every kind appended anywhere in src/', () => {
    const files = sources(srcDir).filter((f) => f.file !== join('ledger', 'describe.ts'));
    const appended = kindsIn(files, describedKinds());
    expect(appended.size).toBeGreaterThan(50);
    const described = new Set(describedKinds());
    const missing = [...appended]
      .filter(([kind]) => !described.has(kind))
      .map(([kind, file]) => `${kind} (${file})`);
    expect(missing, 'add a line for each to `describers` in src/ledger/describe.ts').toEqual([]);
  });

  it('finds a new kind however it is written, so the check above can fail', () => {
    const files = [
      { file: 'a.ts', text: "ledger.append({ kind: 'pr.watched', actor, payload })" },
      { file: 'b.ts', text: "journal?.('rig.renamed', {})" },
      { file: 'c.ts', text: "const Ev = { merged: 'pr.merged_elsewhere' } as const; readFile('pr.json')" },
      { file: 'd.ts', text: "kind: closed ? 'gate.closed' : 'gate.opened'" },
    ];
    expect([...kindsIn(files, []).keys()].sort()).toEqual([
      'gate.closed',
      'gate.opened',
      'pr.merged_elsewhere',
      'pr.watched',
      'rig.renamed',
    ]);
  });

  it('never falls back to raw JSON for a described kind, even with an empty payload', () => {
    for (const kind of describedKinds()) {
      const line = describeEvent(event(kind, {}));
      expect(line, kind).not.toMatch(/^\{/);
    }
  });

  it('reads an opened pull request as a sentence', () => {
    const line = describeEvent(
      event('merge.pr_opened', {
        url: 'https://github.com/acme/web/pull/12',
        number: 12,
        existed: false,
        branch: 'polecat/nux/we-1',
        commit: 'abcdef0123456789',
        base: 'main',
      }),
    );
    expect(line).toBe(
      'opened pull request #12 (polecat/nux/we-1 → main): https://github.com/acme/web/pull/12',
    );
  });

  it("shows a failed tool call's error: stderr first, redacted, cut to its last characters", () => {
    const stderr = `${'noise '.repeat(100)}\nError: cannot push with token ghp_${'a'.repeat(36)}: HTTP 403\n`;
    const line = describeEvent(event('tool.result', { status: 'error', exit_code: 1, stdout: 'x', stderr }));
    expect(line).toMatch(/^error \(exit 1\): …/);
    expect(line).toContain('Error: cannot push with token [REDACTED:');
    expect(line).toContain(': HTTP 403');
    expect(line).not.toContain('ghp_aaaa');
    expect(line.length).toBeLessThanOrEqual('error (exit 1): '.length + toolErrorChars);

    expect(describeEvent(event('tool.result', { status: 'error', output: 'ENOENT: no such file' }))).toBe(
      'error: ENOENT: no such file',
    );
    expect(describeEvent(event('tool.result', { status: 'error', exit_code: 124, timed_out: true }))).toBe(
      'error (exit 124) (timed out)',
    );
    const blob = event('tool.result', { status: 'error', stderr: { $blob: 'ab'.repeat(32), bytes: 9000 } });
    expect(describeEvent(blob)).toBe(`error: 9000 bytes of output (gt audit show ${blob.seq})`);
    expect(describeEvent(event('tool.result', { status: 'ok', exit_code: 0, stdout: 'fine' }))).toBe(
      'ok (exit 0)',
    );
  });
});
