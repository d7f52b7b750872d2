// The price table: turns a model call's tokens into USD when the agent does not report the cost.
// Prices are USD per million tokens. A pattern matches a model name as a prefix (`gpt-4.1` matches
// `gpt-4.1-2025-04-14`), or as a glob when it holds `*` or `?`; the most specific pattern (most
// literal characters) wins, so `gpt-4.1-mini` beats `gpt-4.1`. `town.yaml` `prices:` entries
// replace or add to the defaults. A model nothing matches (a local Ollama or llama.cpp model) costs
// 0 and is flagged `unpriced`, so `gt costs` can say that its total leaves something out.
//
// Tokens follow Anthropic's convention (src/agents/model/types.ts): `inputTokens` is the uncached
// input; cache reads and writes are counted apart. A price without `cache_read` / `cache_write`
// charges those at the input rate (never under-reports). Anthropic cache writes are priced at the
// 5-minute rate (1.25× input); OpenAI bills no cache writes, so theirs equal the input rate.
import type { TownConfig } from '../../town/config.js';

export interface Price {
  input: number;
  output: number;
  cache_read?: number;
  cache_write?: number;
}

/** Pattern → price (USD per million tokens). */
export type PriceTable = Readonly<Record<string, Price>>;

export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}

export interface Priced {
  usd: number;
  /** No pattern matched the model: the cost is 0 and says nothing. */
  unpriced: boolean;
  /** The pattern that priced it. */
  pattern?: string;
}

const anthropic = (input: number, output: number, cacheRead: number, cacheWrite: number): Price => ({
  input,
  output,
  cache_read: cacheRead,
  cache_write: cacheWrite,
});
const openai = (input: number, output: number, cacheRead?: number): Price => ({
  input,
  output,
  cache_read: cacheRead ?? input,
  cache_write: input,
});

/**
 * List prices checked on 2026-11-25 against platform.claude.com/docs/about-claude/pricing (and the
 * model overview pages) and developers.openai.com/api/docs/pricing (standard tier, as quoted on
 * 2026-11-05). Long-context and prompt-length surcharges, batch and regional rates are not modelled.
 */
export const defaultPrices: PriceTable = {
  // Anthropic: input, output, cache read, cache write (5 minutes).
  'claude-fable-5-1': anthropic(10, 50, 0.25, 12.5),
  'claude-mythos-5-1': anthropic(10, 50, 0.25, 12.5),
  'claude-fable-5': anthropic(10, 50, 1, 12.5),
  'claude-mythos-5': anthropic(10, 50, 1, 12.5),
  'claude-opus-5-5': anthropic(4, 20, 0.2, 5),
  'claude-opus-5': anthropic(5, 25, 0.5, 6.25),
  'claude-opus-4': anthropic(15, 75, 1.5, 18.75), // Opus 4 and 4.1
  'claude-opus-4-5': anthropic(5, 25, 0.5, 6.25),
  'claude-opus-4-6': anthropic(5, 25, 0.5, 6.25),
  'claude-opus-4-7': anthropic(5, 25, 0.5, 6.25),
  'claude-opus-4-8': anthropic(5, 25, 0.5, 6.25),
  'claude-sonnet-5-5': anthropic(2, 10, 0.1, 2.5),
  'claude-sonnet-5': anthropic(2, 10, 0.2, 2.5),
  'claude-sonnet-4': anthropic(3, 15, 0.3, 3.75), // Sonnet 4, 4.5, 4.6
  'claude-haiku-5-5': anthropic(0.1, 0.5, 0.01, 0.125), // prompts up to 100k tokens
  'claude-haiku-4': anthropic(1, 5, 0.1, 1.25),
  'claude-3-7-sonnet': anthropic(3, 15, 0.3, 3.75),
  'claude-3-5-sonnet': anthropic(3, 15, 0.3, 3.75),
  'claude-3-5-haiku': anthropic(0.8, 4, 0.08, 1),
  'claude-3-haiku': anthropic(0.25, 1.25, 0.03, 0.3),
  // OpenAI: input, output, cached input.
  'gpt-5.5': openai(5, 30, 0.5),
  'gpt-5.5-pro': openai(30, 180),
  'gpt-5.4': openai(2.5, 15, 0.25),
  'gpt-5.4-mini': openai(0.75, 4.5, 0.075),
  'gpt-5.4-nano': openai(0.2, 1.25, 0.02),
  'gpt-5.4-pro': openai(30, 180),
  'gpt-5.2': openai(1.75, 14, 0.175),
  'gpt-5.2-pro': openai(21, 168),
  'gpt-5.1': openai(1.25, 10, 0.125), // gpt-5.1-codex too
  'gpt-5': openai(1.25, 10, 0.125), // gpt-5-codex too
  'gpt-5-mini': openai(0.25, 2, 0.025),
  'gpt-5-nano': openai(0.05, 0.4, 0.005),
  'gpt-5-pro': openai(15, 120),
  'gpt-4.1': openai(2, 8, 0.5),
  'gpt-4.1-mini': openai(0.4, 1.6, 0.1),
  'gpt-4.1-nano': openai(0.1, 0.4, 0.025),
  'gpt-4o': openai(2.5, 10, 1.25),
  'gpt-4o-mini': openai(0.15, 0.6, 0.075),
  o1: openai(15, 60, 7.5),
  'o1-mini': openai(1.1, 4.4, 0.55),
  'o1-pro': openai(150, 600),
  o3: openai(2, 8, 0.5),
  'o3-mini': openai(1.1, 4.4, 0.55),
  'o3-pro': openai(20, 80),
  'o4-mini': openai(1.1, 4.4, 0.275),
};

/** The defaults with `town.yaml` `prices:` on top (a town entry replaces a default of the same pattern). */
export function priceTable(overrides: TownConfig['prices'] = {}): PriceTable {
  return { ...defaultPrices, ...overrides };
}

/** The price of a model, or undefined when nothing in the table matches it. */
export function priceFor(
  model: string | undefined,
  table: PriceTable,
): { pattern: string; price: Price } | undefined {
  if (model === undefined || model.trim() === '') return undefined;
  const names = new Set([model.trim().toLowerCase(), canonicalModel(model)]);
  let best: { pattern: string; price: Price; weight: number } | undefined;
  for (const [pattern, price] of Object.entries(table)) {
    const test = matcher(pattern.toLowerCase());
    if (![...names].some(test)) continue;
    const weight = pattern.replace(/[*?]/g, '').length;
    if (best === undefined || weight > best.weight) best = { pattern, price, weight };
  }
  return best && { pattern: best.pattern, price: best.price };
}

/** What the tokens cost at the table's price for the model (0, flagged, when it has none). */
export function priceUsage(model: string | undefined, tokens: TokenCounts, table: PriceTable): Priced {
  const found = priceFor(model, table);
  if (found === undefined) return { usd: 0, unpriced: true };
  const { price } = found;
  const micro =
    tokens.inputTokens * price.input +
    tokens.outputTokens * price.output +
    (tokens.cacheReadTokens ?? 0) * (price.cache_read ?? price.input) +
    (tokens.cacheWriteTokens ?? 0) * (price.cache_write ?? price.input);
  return { usd: micro / 1_000_000, unpriced: false, pattern: found.pattern };
}

/**
 * The provider-neutral name: lower case, without a router's `vendor/` prefix or Bedrock's
 * `us.anthropic.` one, and Claude versions written with dashes (`claude-sonnet-4.5` → `-4-5`).
 */
export function canonicalModel(model: string): string {
  let name = model.trim().toLowerCase();
  name = name.slice(name.lastIndexOf('/') + 1);
  name = name.replace(/^(?:[a-z]{2,6}\.)?anthropic\./, '');
  if (name.startsWith('claude-')) name = name.replace(/(\d)\.(\d)/g, '$1-$2');
  return name;
}

function matcher(pattern: string): (name: string) => boolean {
  if (!/[*?]/.test(pattern)) return (name) => name.startsWith(pattern);
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  const regex = new RegExp(`^${source}$`);
  return (name) => regex.test(name);
}
