// OTLP export of the ledger against a real OTLP/HTTP receiver: a bead's agent session and its tool
// calls arrive as GenAI spans in the ledger's own trace; a collector that is down or refuses leaves
// the cursor where it was and the next export sends every span exactly once.
import { afterEach, describe, expect, it } from 'vitest';
import type { LedgerEvent, LedgerEventInput } from '../../src/ledger/event.js';
import { queryEvents } from '../../src/ledger/read.js';
import { newSpanId, traceIdForBead } from '../../src/ledger/trace-ids.js';
import type { ExportOutcome } from '../../src/ledger/otlp/index.js';
import {
  exportPendingSpans,
  otlpEndpointFrom,
  readCursor,
  townTraceId,
} from '../../src/ledger/otlp/index.js';
import type { LedgerTown } from '../support/ledger-town.js';
import { makeLedgerTown } from '../support/ledger-town.js';
import type { OtlpReceiver, ReceivedSpan } from '../support/otlp-receiver.js';
import { closedPort, startOtlpReceiver } from '../support/otlp-receiver.js';

const townName = 'testville';
const actor = 'gastown/polecats/nux';
const bead = 'gt-otlp1';

let town: LedgerTown | undefined;
let receiver: OtlpReceiver | undefined;
afterEach(async () => {
  town?.cleanup();
  town = undefined;
  await receiver?.close();
  receiver = undefined;
});

const ts = (second: number): string => `2026-03-01T10:00:${String(second).padStart(2, '0')}.123Z`;
const nanos = (iso: string): bigint => BigInt(Date.parse(iso)) * 1_000_000n;

function setup(): { town: LedgerTown; append: (input: LedgerEventInput) => LedgerEvent } {
  town = makeLedgerTown();
  const { ledger } = town;
  return { town, append: (input) => ledger.append(input) };
}

/** A session on the bead with two tool calls (the second fails) and events in between. */
function recordSession(append: (input: LedgerEventInput) => LedgerEvent) {
  const session = newSpanId();
  const read = newSpanId();
  const shell = newSpanId();
  const inSession = { actor, session_id: 'sess-1' };
  const events = {
    claimed: append({ kind: 'bead.claimed', actor, bead_id: bead, payload: { claimant: actor }, ts: ts(1) }),
    started: append({
      kind: 'session.started',
      ...inSession,
      bead_id: bead,
      span_id: session,
      payload: { agent: 'nux', runtime: 'claude-code', model: 'claude-sonnet-4' },
      ts: ts(2),
    }),
    readCall: append({
      kind: 'tool.call',
      ...inSession,
      bead_id: bead,
      span_id: read,
      parent_span_id: session,
      payload: { tool: 'read_file', call_id: 'call-1', decision: 'allow', rule: 'reads-ok' },
      ts: ts(3),
    }),
    readResult: append({
      kind: 'tool.result',
      ...inSession,
      bead_id: bead,
      span_id: read,
      payload: { call_id: 'call-1', status: 'ok' },
      ts: ts(4),
    }),
    shellCall: append({
      kind: 'tool.call',
      ...inSession,
      bead_id: bead,
      span_id: shell,
      parent_span_id: session,
      payload: { tool: 'run_shell', call_id: 'call-2', decision: 'allow' },
      ts: ts(5),
    }),
    // No bead of its own: it joins the session's trace, under the session span.
    commit: append({ kind: 'commit.created', ...inSession, payload: { summary: 'fix parser' }, ts: ts(6) }),
    // Another bead, created from inside the session: its own trace, linked to the session.
    otherBead: append({
      kind: 'bead.created',
      ...inSession,
      bead_id: 'gt-otlp2',
      payload: { bead: { title: 'Follow-up', priority: 2, issue_type: 'task' } },
      ts: ts(7),
    }),
    shellResult: append({
      kind: 'tool.result',
      ...inSession,
      bead_id: bead,
      span_id: shell,
      payload: { call_id: 'call-2', status: 'error' },
      ts: ts(8),
    }),
    ended: append({
      kind: 'session.ended',
      ...inSession,
      bead_id: bead,
      span_id: session,
      payload: { outcome: 'success', cost_usd: 0.42, usage: { input_tokens: 1200, output_tokens: 300 } },
      ts: ts(9),
    }),
  };
  return { session, read, shell, events };
}

function errorOf(result: ExportOutcome): string {
  if (!('error' in result)) throw new Error(`expected an error, got ${JSON.stringify(result)}`);
  return result.error;
}

function byName(spans: ReceivedSpan[], name: string): ReceivedSpan {
  const found = spans.filter((span) => span.name === name);
  expect(found, `spans named ${name}`).toHaveLength(1);
  return found[0]!;
}

describe('OTLP export of the ledger', () => {
  it('exports sessions and tool calls as GenAI spans in the ledger trace', async () => {
    const { town, append } = setup();
    const { session, read, shell, events } = recordSession(append);
    receiver = await startOtlpReceiver();

    const result = await exportPendingSpans(town.db, { endpoint: receiver.tracesUrl, townName });

    const head = town.ledger.head().seq;
    expect(result).toEqual({ exported: 7, lastSeq: head });
    expect(readCursor(town.db)).toBe(head);
    expect(receiver.rejected).toEqual([]);
    expect(receiver.requests).toHaveLength(1);
    const spans = receiver.spans();
    expect(spans.map((s) => s.name)).toEqual([
      'town.installed',
      'bead.claimed',
      'execute_tool read_file',
      'commit.created',
      'bead.created',
      'execute_tool run_shell',
      'invoke_agent nux',
    ]);
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(spans.length);
    for (const span of spans) {
      expect(span.resource).toEqual({ 'service.name': 'gastown', 'gastown.town': townName });
      expect(span.scope).toBe('gastown.ledger');
      expect(span.kind).toBe(1); // INTERNAL
    }

    const beadTrace = events.started.trace_id;
    expect(beadTrace).toBe(traceIdForBead(bead));

    const agent = byName(spans, 'invoke_agent nux');
    expect(agent).toMatchObject({ traceId: beadTrace, spanId: session });
    expect(agent.parentSpanId).toBeUndefined();
    expect(agent.startTimeUnixNano).toBe(nanos(ts(2)));
    expect(agent.endTimeUnixNano).toBe(nanos(ts(9)));
    expect(agent.status?.code ?? 0).toBe(0);
    expect(agent.attributes).toEqual({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'nux',
      'gen_ai.request.model': 'claude-sonnet-4',
      'gen_ai.usage.input_tokens': 1200,
      'gen_ai.usage.output_tokens': 300,
      'gastown.cost_usd': 0.42,
      'gastown.bead.id': bead,
      'gastown.rig': 'gastown',
      'gastown.actor': actor,
      'gastown.session.id': 'sess-1',
      'gastown.runtime': 'claude-code',
      'gastown.outcome': 'success',
      'gastown.ledger.seq': events.started.seq,
      'gastown.ledger.end_seq': events.ended.seq,
    });

    const readTool = byName(spans, 'execute_tool read_file');
    expect(readTool).toMatchObject({ traceId: beadTrace, spanId: read, parentSpanId: session });
    expect(readTool.startTimeUnixNano).toBe(nanos(ts(3)));
    expect(readTool.endTimeUnixNano).toBe(nanos(ts(4)));
    expect(readTool.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'read_file',
      'gen_ai.tool.call.id': 'call-1',
      'gastown.policy.decision': 'allow',
      'gastown.policy.rule': 'reads-ok',
      'gastown.tool.status': 'ok',
      'gastown.bead.id': bead,
      'gastown.rig': 'gastown',
      'gastown.ledger.seq': events.readCall.seq,
      'gastown.ledger.end_seq': events.readResult.seq,
    });
    expect(readTool.attributes).not.toHaveProperty('error.type');

    const shellTool = byName(spans, 'execute_tool run_shell');
    expect(shellTool).toMatchObject({ traceId: beadTrace, spanId: shell, parentSpanId: session });
    expect(shellTool.startTimeUnixNano).toBe(nanos(ts(5)));
    expect(shellTool.endTimeUnixNano).toBe(nanos(ts(8)));
    expect(shellTool.status).toMatchObject({ code: 2, message: 'error' });
    expect(shellTool.attributes).toMatchObject({ 'gen_ai.tool.call.id': 'call-2', 'error.type': 'error' });

    const commit = byName(spans, 'commit.created');
    expect(commit).toMatchObject({ traceId: beadTrace, parentSpanId: session, links: [] });
    expect(commit.spanId).not.toBe(session);
    expect(commit.startTimeUnixNano).toBe(nanos(ts(6)));
    expect(commit.endTimeUnixNano).toBe(nanos(ts(6)));
    expect(commit.attributes).toMatchObject({
      'gastown.event.kind': 'commit.created',
      'gastown.ledger.seq': events.commit.seq,
      'gastown.actor': actor,
      'gastown.rig': 'gastown',
    });
    expect(commit.attributes).not.toHaveProperty('gastown.bead.id');

    const other = byName(spans, 'bead.created');
    expect(other.traceId).toBe(traceIdForBead('gt-otlp2'));
    expect(other.parentSpanId).toBeUndefined();
    expect(other.links).toEqual([{ traceId: beadTrace, spanId: session }]);
    expect(other.attributes['gastown.bead.id']).toBe('gt-otlp2');

    const claimed = byName(spans, 'bead.claimed');
    expect(claimed).toMatchObject({ traceId: beadTrace, links: [] });
    expect(claimed.parentSpanId).toBeUndefined();

    const installed = queryEvents(town.db, { kind: 'town.installed' })[0]!;
    const genesis = byName(spans, 'town.installed');
    expect(genesis.traceId).toBe(townTraceId(townName, installed.ts));
    expect(genesis.attributes).toMatchObject({
      'gastown.actor': 'overseer',
      'gastown.ledger.seq': installed.seq,
    });
    expect(genesis.attributes).not.toHaveProperty('gastown.rig');
    expect(genesis.attributes).not.toHaveProperty('gastown.bead.id');

    // Nothing new: nothing sent, cursor unchanged.
    expect(await exportPendingSpans(town.db, { endpoint: receiver.tracesUrl, townName })).toEqual({
      exported: 0,
      lastSeq: head,
    });
    expect(receiver.requests).toHaveLength(1);
  });

  it('keeps the cursor when the collector is down or refuses, then sends everything once', async () => {
    const { town, append } = setup();
    recordSession(append);
    const head = town.ledger.head().seq;

    const down = await exportPendingSpans(town.db, {
      endpoint: `http://127.0.0.1:${await closedPort()}/v1/traces`,
      townName,
      timeoutMs: 300,
    });
    expect(errorOf(down)).toMatch(/OTLP export .* failed/);
    expect(readCursor(town.db)).toBe(0);

    receiver = await startOtlpReceiver();
    receiver.failNext(400);
    const refused = await exportPendingSpans(town.db, { endpoint: receiver.tracesUrl, townName });
    expect(errorOf(refused)).toMatch(/OTLP export .* failed/);
    expect(readCursor(town.db)).toBe(0);
    expect(receiver.requests).toHaveLength(0);

    expect(await exportPendingSpans(town.db, { endpoint: receiver.tracesUrl, townName })).toEqual({
      exported: 7,
      lastSeq: head,
    });
    append({ kind: 'bead.closed', actor, bead_id: bead, payload: { reason: 'done' } });
    expect(await exportPendingSpans(town.db, { endpoint: receiver.tracesUrl, townName })).toEqual({
      exported: 1,
      lastSeq: head + 1,
    });
    expect(receiver.rejected).toEqual([]);
    const names = receiver.spans().map((s) => s.name);
    expect(names).toHaveLength(8);
    expect(names.filter((name) => name === 'invoke_agent nux')).toHaveLength(1);
    expect(names.at(-1)).toBe('bead.closed');
    expect(new Set(receiver.spans().map((s) => s.spanId)).size).toBe(8);
  });

  it('sends a session span once, when its end is exported, across small batches', async () => {
    const { town, append } = setup();
    receiver = await startOtlpReceiver();
    const session = newSpanId();
    const tool = newSpanId();
    const base = { actor, bead_id: bead, session_id: 'sess-2' };
    const started = append({
      kind: 'session.started',
      ...base,
      span_id: session,
      payload: { agent: 'nux' },
      ts: ts(10),
    });
    append({
      kind: 'tool.call',
      ...base,
      span_id: tool,
      parent_span_id: session,
      payload: { tool: 'grep', call_id: 'c1' },
      ts: ts(11),
    });
    append({
      kind: 'tool.result',
      ...base,
      span_id: tool,
      payload: { call_id: 'c1', status: 'ok' },
      ts: ts(12),
    });

    // Batches of three split the tool call (seq 3) from its result (seq 4); the session stays open.
    const options = { endpoint: receiver.tracesUrl, townName, batchSize: 3 };
    let result = await exportPendingSpans(town.db, options);
    while ('lastSeq' in result && result.lastSeq < town.ledger.head().seq)
      result = await exportPendingSpans(town.db, options);
    expect(result).toMatchObject({ lastSeq: town.ledger.head().seq });
    expect(receiver.spans().map((s) => s.name)).toEqual(['town.installed', 'execute_tool grep']);
    expect(byName(receiver.spans(), 'execute_tool grep')).toMatchObject({
      spanId: tool,
      parentSpanId: session,
    });

    // An event that names only the session, whose opening event went out in an earlier batch.
    append({ kind: 'commit.created', actor, session_id: 'sess-2', payload: { summary: 'wip' }, ts: ts(15) });
    const ended = append({
      kind: 'session.ended',
      ...base,
      span_id: session,
      payload: { outcome: 'crashed' },
      ts: ts(20),
    });
    expect(await exportPendingSpans(town.db, options)).toEqual({ exported: 2, lastSeq: ended.seq });
    expect(byName(receiver.spans(), 'commit.created')).toMatchObject({
      traceId: traceIdForBead(bead),
      parentSpanId: session,
    });
    const agent = byName(receiver.spans(), 'invoke_agent nux');
    expect(agent).toMatchObject({ spanId: session, traceId: traceIdForBead(bead) });
    expect(agent.startTimeUnixNano).toBe(nanos(ts(10)));
    expect(agent.endTimeUnixNano).toBe(nanos(ts(20)));
    expect(agent.status).toMatchObject({ code: 2, message: 'crashed' });
    expect(agent.attributes).toMatchObject({
      'gastown.ledger.seq': started.seq,
      'gastown.ledger.end_seq': ended.seq,
    });
    expect(receiver.rejected).toEqual([]);
  });

  it('returns an error instead of throwing for a bad endpoint', async () => {
    const { town } = setup();
    expect(errorOf(await exportPendingSpans(town.db, { endpoint: 'not a url', townName }))).toMatch(
      /invalid OTLP endpoint/,
    );
    expect(readCursor(town.db)).toBe(0);
  });
});

describe('otlpEndpointFrom', () => {
  it.each([
    [
      'town.yaml base URL',
      { telemetry: { otlp_endpoint: 'http://collector:4318' } },
      {},
      'http://collector:4318/v1/traces',
    ],
    [
      'town.yaml full URL',
      { telemetry: { otlp_endpoint: 'http://collector:4318/v1/traces' } },
      {},
      'http://collector:4318/v1/traces',
    ],
    [
      'town.yaml wins over env',
      { telemetry: { otlp_endpoint: 'http://a:4318/' } },
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://b:4318' },
      'http://a:4318/v1/traces',
    ],
    [
      'env base URL with a path',
      {},
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example/otlp/' },
      'https://otel.example/otlp/v1/traces',
    ],
    [
      'signal-specific env as is',
      {},
      {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/custom',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://b:4318',
      },
      'http://c:4318/custom',
    ],
    [
      'blank values are unset',
      { telemetry: { otlp_endpoint: ' ' } },
      { OTEL_EXPORTER_OTLP_ENDPOINT: '' },
      undefined,
    ],
    ['nothing set', {}, {}, undefined],
  ])('%s', (_name, config, env, expected) => {
    expect(otlpEndpointFrom(config, env)).toBe(expected);
  });
});
