// `gt refinery run <rig> [--once]` works the rig's merge queue in the foreground (until it is empty,
// or one request with --once); `gt mq list [--rig r]` shows the queue. The daemon hosts the same
// Refinery loop; this is for running it by hand and for scripts.
import type { Command } from 'commander';
import { ErrorCode, GasTownError, notFound } from '../../errors.js';
import type { MergeRequest } from '../../roles/refinery/merge-queue.js';
import type { CliIO } from '../io.js';
import { printJson, printLine } from '../io.js';
import { withTown } from '../town-context.js';

function describe(mr: MergeRequest): string {
  const result = mr.pr_url ?? mr.merged_commit ?? '';
  return `#${mr.id} ${mr.state.padEnd(10)} ${mr.bead_id}  ${mr.branch}  ${mr.head_commit.slice(0, 12)}${result ? `  ${result}` : ''}`;
}

export function registerRefinery(program: Command, io: CliIO): void {
  const refinery = program
    .command('refinery')
    .description("a rig's Refinery: rebase, check and merge accepted work");
  refinery
    .command('run <rig>')
    .description('work the merge queue of a rig until it is empty (--once: one request)')
    .option('--once', 'take at most one merge request')
    .action((rig: string, flags: { once?: boolean }, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { Refinery } = await import('../../roles/refinery/refinery.js');
        const { getRig } = await import('../../town/index.js');
        if (!getRig(ctx.db, rig)) throw notFound('rig', rig);
        const worker = new Refinery({ town: ctx, root: ctx.root, rig, env: io.env });
        const done: { outcome: string; mr: MergeRequest | null }[] = [];
        for (;;) {
          const outcome = await worker.tick();
          if (outcome === 'idle') break;
          const mr = worker.lastRequest ?? null;
          done.push({ outcome, mr });
          if (!ctx.json) printLine(io, `${outcome}: ${mr ? describe(mr) : ''}`);
          if (mr?.detail && !ctx.json && outcome !== 'merged') printLine(io, indent(mr.detail));
          if (flags.once || outcome === 'requeued') break;
        }
        if (ctx.json) printJson(io, done);
        else if (done.length === 0) printLine(io, `Nothing to merge in ${rig}`);
        const bad = done.filter((d) => d.outcome === 'failed').length;
        if (bad > 0) {
          throw new GasTownError(ErrorCode.conflict, `${bad} merge request(s) failed`, { shown: !ctx.json });
        }
      }),
    );

  const mq = program.command('mq').description('the merge queue');
  mq.command('list')
    .description('merge requests, oldest first, with their state')
    .option('--rig <rig>', 'only this rig')
    .action((flags: { rig?: string }, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { listMergeRequests } = await import('../../roles/refinery/merge-queue.js');
        const rows = listMergeRequests(ctx.db, flags.rig);
        if (ctx.json) return printJson(io, rows);
        if (rows.length === 0) return printLine(io, 'The merge queue is empty');
        for (const mr of rows) printLine(io, `${mr.rig}  ${describe(mr)}`);
      }),
    );
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
