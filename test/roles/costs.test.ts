// Tokens into money: the price table (defaults, town.yaml overrides, unpriced local models, cache
// tokens) and what the town spent grouped by bead, convoy, rig, agent, day and model.
import { afterAll, describe, expect, it } from 'vitest';
import { writeTx } from '../../src/db/open.js';
import { costTotals, costsBy } from '../../src/roles/budget/costs.js';
import {
  canonicalModel,
  defaultPrices,
  priceFor,
  priceTable,
  priceUsage,
} from '../../src/roles/budget/prices.js';
import { recordUsage } from '../../src/roles/budget/usage.js';
import { openTownServices } from '../../src/town/services.js';
import { removeTempDirs } from '../support/temp.js';
import { makeTown } from '../support/town.js';

afterAll(removeTempDirs);

const million = { inputTokens: 1_000_000, outputTokens: 1_000_000 };

describe('the price table', () => {
  it('prices current Anthropic and OpenAI models by the most specific pattern', () => {
    expect(priceUsage('claude-sonnet-4-5-20250929', million, defaultPrices)).toMatchObject({
      usd: 18,
      unpriced: false,
      pattern: 'claude-sonnet-4',
    });
    // Opus 4 and 4.1 kept the old price; 4.5 and later cost a third of it.
    expect(priceUsage('claude-opus-4-1-20250805', million, defaultPrices).usd).toBe(90);
    expect(priceUsage('claude-opus-4-5-20251101', million, defaultPrices).usd).toBe(30);
    expect(priceUsage('claude-haiku-4-5', million, defaultPrices).usd).toBe(6);
    expect(priceUsage('gpt-4.1-mini-2025-04-14', million, defaultPrices)).toMatchObject({
      usd: 2,
      pattern: 'gpt-4.1-mini',
    });
    expect(priceUsage('gpt-4.1', million, defaultPrices).usd).toBe(10);
    expect(priceUsage('gpt-5-codex', million, defaultPrices).usd).toBe(11.25);
    expect(priceUsage('gpt-4o-mini', million, defaultPrices).usd).toBeCloseTo(0.75, 10);
    expect(priceUsage('o4-mini', million, defaultPrices).usd).toBeCloseTo(5.5, 10);
  });

  it('recognizes router, Bedrock and dotted spellings of Claude models', () => {
    expect(canonicalModel('anthropic/claude-sonnet-4.5')).toBe('claude-sonnet-4-5');
    expect(canonicalModel('us.anthropic.claude-opus-4-1-20250805-v1:0')).toBe(
      'claude-opus-4-1-20250805-v1:0',
    );
    expect(priceFor('us.anthropic.claude-opus-4-1-20250805-v1:0', defaultPrices)?.pattern).toBe(
      'claude-opus-4',
    );
    expect(priceFor('openai/gpt-4o', defaultPrices)?.pattern).toBe('gpt-4o');
  });

  it('charges cache reads and writes at their own rates, else at the input rate', () => {
    const tokens = {
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 1_000_000,
      cacheWriteTokens: 1_000_000,
    };
    // Sonnet 4: reads $0.30, writes $3.75 per million.
    expect(priceUsage('claude-sonnet-4', tokens, defaultPrices).usd).toBeCloseTo(4.05, 10);
    const bare = { 'my-model': { input: 2, output: 4 } };
    expect(priceUsage('my-model', tokens, bare).usd).toBe(4);
  });

  it('leaves local models unpriced at $0', () => {
    for (const model of ['llama3.1:8b', 'qwen2.5-coder:32b', 'gpt-oss:20b', undefined]) {
      expect(priceUsage(model, million, defaultPrices)).toEqual({ usd: 0, unpriced: true });
    }
  });

  it('lets town.yaml replace a default and price a model of its own, by prefix or glob', () => {
    const table = priceTable({
      'claude-sonnet-4': { input: 1, output: 1 },
      'llama*:70b': { input: 0.5, output: 0.5, cache_read: 0 },
      'qwen2.5-coder': { input: 0, output: 0 },
    });
    expect(priceUsage('claude-sonnet-4-5', million, table).usd).toBe(2);
    expect(priceUsage('llama3.3:70b', { ...million, cacheReadTokens: 5_000_000 }, table).usd).toBe(1);
    expect(priceUsage('llama3.3:8b', million, table).unpriced).toBe(true);
    // A model priced at zero is free, not unknown.
    expect(priceUsage('qwen2.5-coder:32b', million, table)).toMatchObject({ usd: 0, unpriced: false });
    expect(priceUsage('gpt-4.1', million, table).usd).toBe(10);
  });
});

describe('costs by grouping', () => {
  it('sums the usage table by bead, convoy, rig, agent, day and model, with totals', async () => {
    const { root } = await makeTown();
    const town = openTownServices(root, { env: {} });
    try {
      writeTx(town.db, () => {
        town.db
          .prepare(`INSERT INTO convoys (id, name, state, created_at) VALUES ('cv-1', 'one', 'open', ?)`)
          .run(new Date().toISOString());
        town.db
          .prepare(`INSERT INTO convoy_beads VALUES ('cv-1', 'gt-a', 'web'), ('cv-1', 'gt-b', 'api')`)
          .run();
      });
      const use = (
        sessionId: string,
        beadId: string,
        rig: string,
        agent: string,
        model: string,
        day: string,
        inputTokens: number,
      ) =>
        recordUsage(
          town,
          { sessionId, beadId, rig, agent, model, inputTokens, outputTokens: 1000, cacheReadTokens: 10 },
          { now: new Date(`${day}T12:00:00Z`) },
        );
      use('s1', 'gt-a', 'web', 'anthropic', 'claude-sonnet-4-5', '2026-11-01', 1_000_000);
      use('s1', 'gt-a', 'web', 'anthropic', 'claude-sonnet-4-5', '2026-11-02', 1_000_000);
      use('s2', 'gt-b', 'api', 'openai', 'gpt-4.1', '2026-11-02', 500_000);
      use('s3', 'gt-c', 'api', 'openai', 'llama3.1:8b', '2026-11-03', 2_000);

      const byBead = costsBy(town.db, 'bead');
      expect(byBead.map((r) => [r.key, r.sessions, r.input_tokens, r.unpriced])).toEqual([
        ['gt-a', 1, 2_000_000, 0],
        ['gt-b', 1, 500_000, 0],
        ['gt-c', 1, 2_000, 1],
      ]);
      expect(byBead[0]?.cost_usd).toBeCloseTo(2 * (3 + 0.015 + 0.000003), 6);
      expect(byBead[0]?.tokens).toBe(2 * (1_000_000 + 1000 + 10));

      expect(costsBy(town.db, 'convoy').map((r) => [r.key, r.sessions])).toEqual([
        ['cv-1', 2],
        [null, 1],
      ]);
      expect(costsBy(town.db, 'rig').map((r) => r.key)).toEqual(['web', 'api']);
      expect(costsBy(town.db, 'agent').map((r) => [r.key, r.sessions])).toEqual([
        ['anthropic', 1],
        ['openai', 2],
      ]);
      expect(costsBy(town.db, 'day').map((r) => r.key)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
      expect(costsBy(town.db, 'model').find((r) => r.key === 'llama3.1:8b')).toMatchObject({
        cost_usd: 0,
        unpriced: 1,
      });
      expect(costsBy(town.db, 'day', '2026-11-02').map((r) => r.key)).toEqual(['2026-11-02', '2026-11-03']);

      const totals = costTotals(town.db);
      expect(totals).toMatchObject({
        sessions: 3,
        unpriced: 1,
        input_tokens: 2_502_000,
        output_tokens: 4000,
      });
      const sum = byBead.reduce((acc, r) => acc + r.cost_usd, 0);
      expect(totals.cost_usd).toBeCloseTo(sum, 6);
      expect(costTotals(town.db, '2026-11-03')).toMatchObject({ sessions: 1, cost_usd: 0 });
    } finally {
      town.close();
    }
  });
});
