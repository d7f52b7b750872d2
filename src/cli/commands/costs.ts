// `gt costs [--by bead|convoy|rig|agent|day|model] [--since <date>]`: what the town's agents spent,
// in tokens and USD, from the usage table (src/roles/budget/costs.ts). A table with a total, or --json.
import type { Command } from 'commander';
import { invalidInput } from '../../errors.js';
import type { CostGrouping, CostRow, CostTotals } from '../../roles/budget/costs.js';
import type { CliIO } from '../io.js';
import { printJson, printLine } from '../io.js';
import { withTown } from '../town-context.js';

const groupings = 'bead|convoy|rig|agent|day|model';

export function registerCosts(program: Command, io: CliIO): void {
  program
    .command('costs')
    .description('tokens and USD spent by the agents, grouped by bead, convoy, rig, agent, day or model')
    .option('--by <grouping>', groupings, 'bead')
    .option('--since <date>', 'only usage from this UTC day (YYYY-MM-DD) or ISO time on')
    .action((flags: { by: string; since?: string }, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { costsBy, costTotals, isCostGrouping } = await import('../../roles/budget/costs.js');
        if (!isCostGrouping(flags.by))
          throw invalidInput(
            `--by: unknown grouping "${flags.by}" (one of ${groupings.replace(/\|/g, ', ')})`,
          );
        const since = flags.since === undefined ? undefined : sinceOf(flags.since);
        const rows = costsBy(ctx.db, flags.by, since);
        const totals = costTotals(ctx.db, since);
        if (ctx.json) return printJson(io, { by: flags.by, since: since ?? null, rows, totals });
        if (rows.length === 0)
          return printLine(io, since === undefined ? 'No usage recorded yet' : `No usage since ${since}`);
        renderTable(io, flags.by, rows, totals);
      }),
    );
}

/** A UTC day stays a day (compared with the usage time's prefix); anything else must parse as a time. */
function sinceOf(text: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`))) return text;
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw invalidInput(`--since: "${text}" is not a date (YYYY-MM-DD) or an ISO time`);
  return new Date(ms).toISOString();
}

function renderTable(io: CliIO, by: CostGrouping, rows: CostRow[], totals: CostTotals): void {
  const header = [by.toUpperCase(), 'SESSIONS', 'INPUT', 'CACHE READ', 'CACHE WRITE', 'OUTPUT', 'USD'];
  const line = (key: string, r: CostTotals): string[] => [
    key,
    String(r.sessions),
    count(r.input_tokens),
    count(r.cache_read_tokens),
    count(r.cache_write_tokens),
    count(r.output_tokens),
    `$${r.cost_usd.toFixed(4)}${r.unpriced > 0 ? '*' : ''}`,
  ];
  const table = [header, ...rows.map((r) => line(r.key ?? '(none)', r)), line('TOTAL', totals)];
  const widths = header.map((_, i) => Math.max(...table.map((cells) => (cells[i] ?? '').length)));
  const format = (cells: string[]): string =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  table.forEach((cells, index) => {
    if (index === table.length - 1) printLine(io, widths.map((w) => '-'.repeat(w)).join('  '));
    printLine(io, format(cells));
  });
  if (totals.unpriced > 0)
    printLine(
      io,
      `* ${totals.unpriced} usage report(s) of models without a price count as $0 (add them under prices: in town.yaml)`,
    );
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
