// The JSONL reader names the line and field of the first problem, and writer and reader are
// inverses: an object read and written again is the same object, unknown fields included.
import { describe, expect, it } from 'vitest';
import { beadFromJson, beadToJson, parseJsonl, toJsonl } from '../../src/beads/index.js';

const line = (fields: Record<string, unknown>) =>
  JSON.stringify({
    id: 'bd-a1b2',
    title: 'Fix it',
    status: 'open',
    priority: 1,
    issue_type: 'bug',
    created_at: '2025-10-30T09:12:44.123456789-07:00',
    updated_at: '2025-10-30T09:12:44.123456789-07:00',
    ...fields,
  });

describe('reading JSONL', () => {
  it('names the file and line of invalid JSON', () => {
    expect(() => parseJsonl(`${line({})}\n{oops\n`, 'issues.jsonl')).toThrow(
      /^issues\.jsonl:2: not valid JSON/,
    );
  });

  it('names the line and field of a bad value', () => {
    const content = [line({ id: 'bd-1' }), '', line({ id: 'bd-2', priority: 9 })].join('\n');
    expect(() => parseJsonl(content, 'f.jsonl')).toThrow(/^f\.jsonl:3: priority: must be 0-4/);
    expect(() => parseJsonl(line({ title: '' }), 'f')).toThrow(/f:1: title: is required/);
    expect(() => parseJsonl(line({ status: 'wip' }), 'f')).toThrow(/f:1: status: must be one of/);
    expect(() => parseJsonl(line({ created_at: 'yesterday' }), 'f')).toThrow(/created_at/);
    expect(() => parseJsonl(line({ estimated_minutes: 'ten' }), 'f')).toThrow(/estimated_minutes/);
    expect(() => parseJsonl(line({ id: 'no id here' }), 'f')).toThrow(/f:1: id:/);
  });

  it('rejects dependencies and comments that belong to another bead', () => {
    const dep = {
      issue_id: 'bd-other',
      depends_on_id: 'bd-x',
      type: 'blocks',
      created_at: '2025-01-01T00:00:00Z',
    };
    expect(() => parseJsonl(line({ dependencies: [dep] }), 'f')).toThrow(/dependencies\.0\.issue_id/);
    const comment = {
      id: 1,
      issue_id: 'bd-other',
      author: 'a',
      text: 't',
      created_at: '2025-01-01T00:00:00Z',
    };
    expect(() => parseJsonl(line({ comments: [comment] }), 'f')).toThrow(/comments\.0\.issue_id/);
  });

  it('accepts every id shape bd does and names the line of one it does not', () => {
    const ids = ['bd-mol-02i', 'bd-eph-5h2', 'bd-beads-polecat-amber', 'web-app-abc123', 'bd-abc.1.2'];
    const beads = parseJsonl(ids.map((id) => line({ id })).join('\n'), 'f');
    expect(beads.map((bead) => bead.id)).toEqual(ids);
    const content = [line({ id: 'bd-mol-02i' }), line({ id: 'bd mol 02i' })].join('\n');
    expect(() => parseJsonl(content, 'issues.jsonl')).toThrow(/^issues\.jsonl:2: id: is not a bead id/);
    expect(() => parseJsonl(line({ id: 'nohyphen' }), 'f')).toThrow(/^f:1: id:/);
  });

  it('keeps every string as it is: no trimming of titles, texts, comments or labels', () => {
    const [bead] = parseJsonl(
      line({
        title: ' Title with a newline\n',
        description: '\n\tindented\n',
        close_reason: 'done ',
        labels: [' odd '],
        comments: [{ id: 1, author: ' a ', text: 'x\n', created_at: '2025-01-01T00:00:00Z' }],
      }),
      'f',
    );
    expect(bead).toMatchObject({
      title: ' Title with a newline\n',
      description: '\n\tindented\n',
      close_reason: 'done ',
      labels: [' odd '],
      comments: [{ author: ' a ', text: 'x\n' }],
    });
    expect(() => parseJsonl(line({ title: ' \n ' }), 'f')).toThrow(/f:1: title: is required/);
  });

  it('rejects a duplicate id, naming both lines', () => {
    expect(() => parseJsonl([line({}), line({})].join('\n'), 'f')).toThrow(
      /f:2: duplicate id bd-a1b2 \(first on line 1\)/,
    );
  });

  it('defaults an absent status and type as bd does', () => {
    const bead = beadFromJson({
      id: 'bd-1',
      title: 't',
      created_at: '2025-01-01T00:00:00Z',
      updated_at: '2025-01-01T00:00:00Z',
    });
    expect(bead).toMatchObject({ status: 'open', issue_type: 'task', priority: 0 });
  });
});

describe('writing JSONL', () => {
  it('gives back the object it read, with unknown and null fields', () => {
    const original = JSON.parse(
      line({
        description: '',
        assignee: 'nux',
        closed_at: null,
        labels: ['b', 'a'],
        dependencies: [
          {
            issue_id: 'bd-a1b2',
            depends_on_id: 'bd-c3',
            type: 'waits-for',
            created_at: '2025-01-01T00:00:00Z',
            metadata: '{"gate":"all-children"}',
            thread_id: 't1',
          },
        ],
        comments: [
          {
            id: 3,
            issue_id: 'bd-a1b2',
            author: 'amy',
            text: 'x',
            created_at: '2025-01-01T00:00:00Z',
            edited: true,
          },
        ],
        pinned: true,
        custom: { deep: [1, { two: 2 }] },
      }),
    ) as Record<string, unknown>;
    expect(beadToJson(beadFromJson(original))).toEqual(original);
  });

  it("escapes <, >, & and U+2028/9 inside strings as bd (Go's encoding/json) does", () => {
    const text = `${line({ title: 'a <b> & c\u2028d\u2029', description: 'x -> y' })}\n`;
    const out = toJsonl(parseJsonl(text, 'f'));
    expect(out).toContain('"title":"a \\u003cb\\u003e \\u0026 c\\u2028d\\u2029"');
    expect(out).toContain('"description":"x -\\u003e y"');
    expect(JSON.parse(out)).toEqual(JSON.parse(text));
  });

  it('writes one line per bead, sorted by id', () => {
    const beads = parseJsonl(
      [line({ id: 'bd-b' }), line({ id: 'bd-a' }), line({ id: 'bd-a.1' })].join('\n'),
      'f',
    );
    expect(
      toJsonl(beads)
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { id: string }).id),
    ).toEqual(['bd-a', 'bd-a.1', 'bd-b']);
  });
});
