// `gt feed`: the ledger as it happens, one readable line per event; `--follow` keeps watching.
import type { Command } from 'commander';
import { invalidInput } from '../../errors.js';
import type { EventQuery, LedgerEvent } from '../../ledger/index.js';
import { describeEvent, queryEvents } from '../../ledger/index.js';
import type { CliIO } from '../io.js';
import { printLine } from '../io.js';
import { withTown } from '../town-context.js';

interface FeedOptions {
  follow?: boolean;
  since?: string;
  bead?: string;
  by?: string;
  kind?: string;
  limit?: string;
  interval?: string;
}

export function registerFeed(program: Command, io: CliIO): void {
  program
    .command('feed')
    .description('show ledger events as readable lines; --follow keeps watching')
    .option('-f, --follow', 'keep printing new events until interrupted')
    .option('--since <time|seq>', 'start after this sequence number, or at this time (ISO 8601)')
    .option('--bead <id>', 'only events about this bead')
    .option('--by <actor>', 'only events by this actor (e.g. rig/polecats/nux)')
    .option('--kind <kind>', 'only events of this kind (e.g. bead.claimed)')
    .option('-n, --limit <n>', 'show at most the last n matching events (default 50; 0 = all)')
    .option('--interval <ms>', 'polling interval with --follow', '250')
    .action((opts: FeedOptions, command: Command) =>
      withTown(command, io, async (ctx) => {
        const query = feedQuery(opts);
        const limit = opts.limit === undefined ? 50 : Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 0)
          throw invalidInput(`--limit: must be a whole number (got ${opts.limit})`);
        const print = (event: LedgerEvent) =>
          ctx.json ? io.stdout(JSON.stringify(event) + '\n') : printLine(io, feedLine(event));
        const first =
          limit === 0
            ? queryEvents(ctx.db, query)
            : queryEvents(ctx.db, { ...query, limit, newestFirst: true }).reverse();
        first.forEach(print);
        if (!opts.follow) return;
        let last = first.at(-1)?.seq ?? Math.max(query.afterSeq ?? 0, ctx.ledger.head().seq);
        const interval = Math.max(20, Number(opts.interval) || 250);
        await new Promise<void>((resolve) => {
          const timer = setInterval(() => {
            for (const event of queryEvents(ctx.db, { ...query, afterSeq: last })) {
              print(event);
              last = event.seq;
            }
          }, interval);
          const stop = () => {
            clearInterval(timer);
            resolve();
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      }),
    );
}

function feedQuery(opts: FeedOptions): EventQuery {
  const query: EventQuery = {};
  if (opts.since !== undefined) {
    if (/^\d+$/.test(opts.since)) query.afterSeq = Number(opts.since);
    else if (!Number.isNaN(Date.parse(opts.since))) query.since = opts.since;
    else throw invalidInput(`--since: must be a sequence number or an ISO 8601 time (got ${opts.since})`);
  }
  if (opts.bead !== undefined) query.beadId = opts.bead;
  if (opts.by !== undefined) query.actor = opts.by;
  if (opts.kind !== undefined) query.kind = opts.kind;
  return query;
}

export function feedLine(event: LedgerEvent): string {
  const time = event.ts.slice(11, 19);
  const bead = event.bead_id ? ` ${event.bead_id}` : '';
  return `#${event.seq} ${time} ${event.actor} ${event.kind}${bead}: ${describeEvent(event)}`;
}
