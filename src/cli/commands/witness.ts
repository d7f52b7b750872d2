// `gt witness patrol [rig]`: one Witness patrol by hand (the daemon runs them on its own): verify the
// polecats that say "done" and queue their merge requests, send the rest back for rework, nudge and
// stop the ones that went silent.
import type { Command } from 'commander';
import { notFound } from '../../errors.js';
import type { WitnessAction } from '../../roles/witness/witness.js';
import type { CliIO } from '../io.js';
import { printJson, printLine } from '../io.js';
import { withTown } from '../town-context.js';

export function registerWitness(program: Command, io: CliIO): void {
  const witness = program
    .command('witness')
    .description("the rigs' Witness: verifies done, watches for stalls");
  witness
    .command('patrol [rig]')
    .description('one patrol of the rig (default: every rig); prints what it did')
    .action((rigName: string | undefined, _flags: unknown, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { Witness } = await import('../../roles/witness/witness.js');
        const { refineryMergeQueue } = await import('../../roles/refinery/merge-queue.js');
        const { getRig, listRigs } = await import('../../town/index.js');
        if (rigName !== undefined && !getRig(ctx.db, rigName)) throw notFound('rig', rigName);
        const rigs = rigName === undefined ? listRigs(ctx.db).map((r) => r.name) : [rigName];
        const queue = refineryMergeQueue(ctx);
        const reports = [];
        for (const rig of rigs)
          reports.push(await new Witness({ town: ctx, root: ctx.root, rig, queue }).tick());
        if (ctx.json) return printJson(io, reports);
        for (const report of reports) {
          if (report.actions.length === 0) printLine(io, `${report.rig}: nothing to do`);
          for (const a of report.actions) printLine(io, `${report.rig}: ${describe(a)}`);
        }
      }),
    );
}

function describe(a: WitnessAction): string {
  const who = `${a.polecat} ${a.beadId ?? ''}`.trim();
  switch (a.type) {
    case 'verified':
      return `${who}: verified ${a.head.slice(0, 12)}${a.checked ? ', check passed' : ''}; merge request queued`;
    case 'rework':
      return `${who}: rework ${a.round}: ${a.reason}`;
    case 'escalated':
      return `${who}: escalated (#${a.escalationId}, ×${a.count}): ${a.reason}`;
    case 'nudged':
      return `${who}: nudged session ${a.sessionId}`;
    case 'stopped':
      return `${who}: stopped${a.killed ? ' (processes killed)' : ''}`;
    case 'redispatched':
      return `${who}: back in the queue (re-dispatch ${a.round})`;
    case 'error':
      return `${who}: error: ${a.message}`;
  }
}
