// Usage and the budgets it spends: one transaction records a model call in the usage table, the
// session's totals and the ledger (they always agree); token and USD budgets of the session, the
// bead, its convoy and the town's day refuse the next call once spent.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTx } from '../../src/db/open.js';
import { parsePolicyText, type Policy } from '../../src/policy/index.js';
import { budgetState } from '../../src/roles/budget/budgets.js';
import { spentToday } from '../../src/roles/budget/town-budget.js';
import { recordUsage, type UsageReport } from '../../src/roles/budget/usage.js';
import { openTownServices, type TownServices } from '../../src/town/services.js';
import { removeTempDirs } from '../support/temp.js';
import { makeTown } from '../support/town.js';

afterAll(removeTempDirs);

let town: TownServices;
beforeEach(async () => {
  town = openTownServices((await makeTown()).root, { env: {} });
});
afterEach(() => town.close());

const policy = (yaml: string): Policy => ({ ...parsePolicyText(yaml, 'policy.yaml'), file: 'policy.yaml' });

function session(id: string, beadId: string): void {
  const now = new Date().toISOString();
  town.db
    .prepare(
      `INSERT INTO sessions (id, rig, polecat, bead_id, runtime, state, started_at, heartbeat_at)
       VALUES (?, 'web', 'nux', ?, 'anthropic', 'running', ?, ?)`,
    )
    .run(id, beadId, now, now);
}

const report = (over: Partial<UsageReport> = {}): UsageReport => ({
  sessionId: 's1',
  beadId: 'gt-a',
  rig: 'web',
  agent: 'anthropic',
  model: 'claude-sonnet-4-5',
  inputTokens: 1000,
  outputTokens: 100,
  ...over,
});

describe('recording usage', () => {
  it('writes the usage row, the session totals and the ledger event, which agree', () => {
    session('s1', 'gt-a');
    const priced = recordUsage(town, report({ cacheReadTokens: 10_000, cacheWriteTokens: 2000 }));
    const reported = recordUsage(town, report({ model: 'claude-opus-4-5', costUsd: 0.5 }));
    const local = recordUsage(town, report({ model: 'llama3.1:8b' }));
    // 1000 × $3 + 100 × $15 + 10,000 × $0.30 + 2000 × $3.75, per million.
    expect(priced).toMatchObject({ costSource: 'prices', unpriced: false, tokens: 13_100 });
    expect(priced.usd).toBeCloseTo(0.015, 12);
    expect(reported).toMatchObject({ costSource: 'agent', usd: 0.5, unpriced: false });
    expect(local).toMatchObject({ costSource: 'prices', usd: 0, unpriced: true });

    const rows = town.db
      .prepare<[], { cost_usd: number; cost_source: string; unpriced: number; model: string; day: string }>(
        'SELECT cost_usd, cost_source, unpriced, model, day FROM usage ORDER BY id',
      )
      .all();
    expect(rows.map((r) => [r.model, r.cost_source, r.unpriced])).toEqual([
      ['claude-sonnet-4-5', 'prices', 0],
      ['claude-opus-4-5', 'agent', 0],
      ['llama3.1:8b', 'prices', 1],
    ]);
    expect(rows[0]?.day).toBe(new Date().toISOString().slice(0, 10));

    const events = town.db
      .prepare<[], { payload: string; session_id: string; bead_id: string }>(
        `SELECT payload, session_id, bead_id FROM ledger WHERE kind = 'session.usage' ORDER BY seq`,
      )
      .all()
      .map((e) => ({ ...e, payload: JSON.parse(e.payload) as Record<string, unknown> }));
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({
      session_id: 's1',
      bead_id: 'gt-a',
      payload: {
        model: 'claude-sonnet-4-5',
        cost_source: 'prices',
        tokens: 13_100,
        usage: {
          input_tokens: 1000,
          output_tokens: 100,
          cache_read_tokens: 10_000,
          cache_write_tokens: 2000,
        },
      },
    });
    expect(events[1]?.payload).toMatchObject({ cost_source: 'agent', cost_usd: 0.5 });
    expect(events[2]?.payload).toMatchObject({ unpriced: true, cost_usd: 0 });

    const ledgerUsd = events.reduce((sum, e) => sum + Number(e.payload.cost_usd), 0);
    const ledgerTokens = events.reduce((sum, e) => sum + Number(e.payload.tokens), 0);
    const totals = town.db
      .prepare<[], { input_tokens: number; output_tokens: number; cost_usd: number }>(
        `SELECT input_tokens, output_tokens, cost_usd FROM sessions WHERE id = 's1'`,
      )
      .get();
    expect(totals?.cost_usd).toBeCloseTo(ledgerUsd, 12);
    expect((totals?.input_tokens ?? 0) + (totals?.output_tokens ?? 0)).toBe(ledgerTokens);
    expect(totals?.output_tokens).toBe(300);
    expect(spentToday(town, new Date())).toMatchObject({ tokens: ledgerTokens });
    expect(spentToday(town, new Date()).usd).toBeCloseTo(ledgerUsd, 12);
  });

  it('writes nothing when any part fails: the row, the totals and the event commit together', () => {
    session('s1', 'gt-a');
    town.db.exec(
      `CREATE TEMP TRIGGER refuse_usage BEFORE INSERT ON ledger WHEN NEW.kind = 'session.usage'
       BEGIN SELECT RAISE(ABORT, 'ledger refused'); END`,
    );
    expect(() => recordUsage(town, report())).toThrow('ledger refused');
    const count = (sql: string) => town.db.prepare(sql).pluck().get();
    expect(count('SELECT count(*) FROM usage')).toBe(0);
    expect(count(`SELECT input_tokens + output_tokens + cost_usd FROM sessions WHERE id = 's1'`)).toBe(0);
    expect(count(`SELECT count(*) FROM ledger WHERE kind = 'session.usage'`)).toBe(0);
  });
});

describe('token and USD budgets', () => {
  it('a session token budget refuses the next call once the session has used it', () => {
    session('s1', 'gt-a');
    const budget = budgetState(town.db, policy('budgets: {session: {tokens: 5000}}'), 'gt-a', Date.now(), {
      sessionId: 's1',
    });
    expect(budget.check()).toBeUndefined();
    expect(budget.recordUsage(town, report({ inputTokens: 3000, outputTokens: 500 }))).toBeUndefined();
    expect(budget.check()).toBeUndefined();
    const reason = budget.recordUsage(town, report({ inputTokens: 1000, outputTokens: 600 }));
    expect(reason).toBe('session token budget spent (5100 of 5000 tokens)');
    expect(budget.check()).toBe(reason);
    expect(budget.exceeded()).toBe(reason);
  });

  it('a session USD budget counts the agent’s own cost when it reports one', () => {
    session('s1', 'gt-a');
    const budget = budgetState(town.db, policy('budgets: {session: {usd: 1}}'), 'gt-a', Date.now(), {
      sessionId: 's1',
    });
    expect(budget.recordUsage(town, report({ costUsd: 0.75 }))).toBeUndefined();
    expect(budget.recordUsage(town, report({ costUsd: 0.25 }))).toBe(
      'session USD budget spent ($1.0000 of $1)',
    );
  });

  it('a bead budget counts earlier sessions of the bead, and is refused from the start when spent', () => {
    session('s0', 'gt-a');
    recordUsage(
      town,
      report({ sessionId: 's0', model: 'claude-opus-4-1', inputTokens: 10_000, outputTokens: 0 }),
    );
    const rules = policy('budgets: {bead: {usd: 0.2}}');
    session('s1', 'gt-a');
    const first = budgetState(town.db, rules, 'gt-a', Date.now(), { sessionId: 's1' });
    expect(first.usageSpent()).toBeUndefined();
    expect(first.recordUsage(town, report({ model: 'claude-opus-4-1', inputTokens: 4000 }))).toBe(
      'bead USD budget spent ($0.2175 of $0.2)',
    );
    session('s2', 'gt-a');
    const again = budgetState(town.db, rules, 'gt-a', Date.now(), { sessionId: 's2' });
    expect(again.usageSpent()).toContain('bead USD budget spent');
    expect(again.check()).toBe(again.usageSpent());
    // Another bead is not affected.
    expect(budgetState(town.db, rules, 'gt-b', Date.now()).check()).toBeUndefined();
  });

  it('a convoy budget sums every bead of the convoy', () => {
    writeTx(town.db, () => {
      town.db
        .prepare(`INSERT INTO convoys (id, name, state, created_at) VALUES ('cv-1', 'one', 'launched', ?)`)
        .run(new Date().toISOString());
      town.db
        .prepare(`INSERT INTO convoy_beads VALUES ('cv-1', 'gt-a', 'web'), ('cv-1', 'gt-b', 'web')`)
        .run();
    });
    recordUsage(town, report({ sessionId: 's0', beadId: 'gt-b', inputTokens: 7000, outputTokens: 0 }));
    session('s1', 'gt-a');
    const budget = budgetState(town.db, policy('budgets: {convoy: {tokens: 10000}}'), 'gt-a', Date.now(), {
      sessionId: 's1',
    });
    expect(budget.check()).toBeUndefined();
    expect(budget.recordUsage(town, report({ inputTokens: 2000, outputTokens: 1000 }))).toBe(
      'convoy cv-1 token budget spent (10000 of 10000 tokens)',
    );
    // A bead outside the convoy has no convoy budget.
    expect(
      budgetState(town.db, policy('budgets: {convoy: {tokens: 10000}}'), 'gt-c', Date.now()).check(),
    ).toBeUndefined();
  });

  it('the town’s daily caps count today’s usage of every session', () => {
    const now = new Date();
    const yesterday = new Date(now.getTime() - 86_400_000);
    recordUsage(town, report({ sessionId: 'old', inputTokens: 1_000_000 }), { now: yesterday });
    recordUsage(town, report({ sessionId: 'other', beadId: 'gt-z', inputTokens: 60_000, outputTokens: 0 }));
    session('s1', 'gt-a');
    const budget = budgetState(town.db, policy(''), 'gt-a', Date.now(), {
      sessionId: 's1',
      town: { tokens_per_day: 100_000 },
      now: () => now,
    });
    expect(budget.check()).toBeUndefined();
    const reason = budget.recordUsage(town, report({ inputTokens: 40_000, outputTokens: 0 }));
    expect(reason).toBe(
      `town daily (${now.toISOString().slice(0, 10)}) token budget spent (100000 of 100000 tokens)`,
    );
    expect(spentToday(town, now).tokens).toBe(100_000);
  });
});
