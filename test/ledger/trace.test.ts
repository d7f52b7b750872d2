// The causal tree of a bead: spans nest their events, child beads nest under their parent, and
// totals add up costs and tokens from every level.
import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../../src/ledger/index.js';
import { buildTrace, describeEvent } from '../../src/ledger/index.js';

let seq = 0;
function event(fields: Partial<LedgerEvent> & { kind: string }): LedgerEvent {
  seq++;
  return {
    seq,
    ts: `2026-01-01T00:00:${String(seq).padStart(2, '0')}.000Z`,
    actor: 'overseer',
    payload: {},
    prev_hash: '',
    hash: '',
    ...fields,
  };
}

describe('bead traces', () => {
  it('nests span events, child beads and totals', () => {
    seq = 0;
    const events = [
      event({
        kind: 'bead.created',
        bead_id: 'gt-a',
        payload: { bead: { title: 'Epic', priority: 1, issue_type: 'epic' } },
      }),
      event({
        kind: 'bead.claimed',
        bead_id: 'gt-a',
        actor: 'rig/polecats/nux',
        payload: { claimant: 'rig/polecats/nux' },
      }),
      event({ kind: 'session.started', bead_id: 'gt-a', span_id: 's1', payload: { agent: 'script' } }),
      event({
        kind: 'tool.call',
        bead_id: 'gt-a',
        span_id: 't1',
        parent_span_id: 's1',
        payload: { tool: 'run', command: 'npm test', decision: 'allow' },
      }),
      event({ kind: 'tool.result', bead_id: 'gt-a', span_id: 't1', payload: { status: 'ok' } }),
      event({
        kind: 'session.usage',
        bead_id: 'gt-a',
        parent_span_id: 's1',
        payload: { cost_usd: 0.25, usage: { input_tokens: 100, output_tokens: 20 } },
      }),
      event({
        kind: 'bead.created',
        bead_id: 'gt-a.1',
        payload: { bead: { title: 'Child', priority: 2, issue_type: 'task' } },
      }),
      event({ kind: 'session.usage', bead_id: 'gt-a.1', payload: { cost_usd: 0.5 } }),
      event({ kind: 'bead.created', bead_id: 'gt-other', payload: { bead: { title: 'Unrelated' } } }),
    ];
    const trace = buildTrace(
      'gt-a',
      [
        { id: 'gt-a', title: 'Epic', status: 'in_progress' },
        { id: 'gt-a.1', title: 'Child', status: 'open', parent: 'gt-a' },
      ],
      events,
    );
    expect(trace.events.map((n) => n.kind)).toEqual(['bead.created', 'bead.claimed', 'session.started']);
    const session = trace.events[2]!;
    expect(session.children.map((n) => n.kind)).toEqual(['tool.call', 'session.usage']);
    expect(session.children[0]!.children.map((n) => n.kind)).toEqual(['tool.result']);
    expect(trace.children.map((c) => c.bead.id)).toEqual(['gt-a.1']);
    expect(trace.totals).toMatchObject({ events: 8, cost_usd: 0.75, input_tokens: 100, output_tokens: 20 });
    expect(trace.totals.first_ts).toBe('2026-01-01T00:00:01.000Z');
    expect(trace.totals.last_ts).toBe('2026-01-01T00:00:08.000Z');
  });

  it('describes known kinds in words and unknown kinds by their telling fields', () => {
    seq = 0;
    expect(
      describeEvent(
        event({
          kind: 'bead.created',
          bead_id: 'gt-a',
          payload: { bead: { title: 'Fix', priority: 0, issue_type: 'bug' } },
        }),
      ),
    ).toBe('created gt-a "Fix" (P0 bug)');
    expect(
      describeEvent(
        event({ kind: 'bead.updated', payload: { changed: { status: { from: 'open', to: 'blocked' } } } }),
      ),
    ).toBe('updated status=blocked');
    expect(
      describeEvent(
        event({ kind: 'policy.decision', payload: { tool: 'run', decision: 'deny', reason: 'sudo' } }),
      ),
    ).toBe('tool=run decision=deny reason=sudo');
  });
});
