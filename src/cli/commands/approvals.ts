// `gt approvals`, `gt approve`, `gt deny`: the Overseer answers tool calls the policy parked with
// `ask`. The same functions serve the dashboard; every answer is a ledger event naming the actor.
import type { Command } from 'commander';
import { join } from 'node:path';
import { invalidInput } from '../../errors.js';
import type { CliIO } from '../io.js';
import { printJson, printLine } from '../io.js';
import { withTown } from '../town-context.js';
import { parseSeq } from './seq-arg.js';

export function registerApprovals(program: Command, io: CliIO): void {
  program
    .command('approvals')
    .description('tool calls waiting for the Overseer (--all: every approval ever asked)')
    .option('--all', 'include decided and expired approvals')
    .action((flags: { all?: boolean }, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { listApprovals } = await import('../../roles/gateway/approvals.js');
        const rows = listApprovals(ctx.db, flags.all ? undefined : 'pending');
        if (ctx.json) return printJson(io, rows);
        if (rows.length === 0)
          return printLine(io, flags.all ? 'No approvals yet' : 'Nothing waits for approval');
        for (const a of rows) {
          const what = a.command ?? a.path ?? '';
          printLine(
            io,
            `#${a.id} ${a.status}  ${a.rig}/polecats/${a.polecat} ${a.bead_id}  ${a.tool}: ${what}  (${a.rule}: ${a.reason}; expires ${a.expires_at})`,
          );
        }
      }),
    );

  program
    .command('approve <id>')
    .description('let a parked tool call run; --always also allows calls like it in that rig from now on')
    .option('--always', 'add an allow rule for this tool and command (or path) in this rig to policy.yaml')
    .action((idText: string, flags: { always?: boolean }, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { decideApproval, getApproval } = await import('../../roles/gateway/approvals.js');
        const id = parseSeq(idText, 'id');
        if (flags.always) {
          const pending = getApproval(ctx.db, id);
          if (!pending) throw invalidInput(`id: no approval #${id}`);
          const { addAllowRule, escapeGlob } = await import('../../policy/index.js');
          addAllowRule(
            join(ctx.root, 'policy.yaml'),
            {
              rig: pending.rig,
              tool: pending.tool,
              // A network approval's command is its destination, `host:port`: allow the host.
              ...(pending.tool === 'network' && pending.command
                ? { host: escapeGlob(pending.command.replace(/:\d+$/, '')) }
                : (pending.part ?? pending.command)
                  ? { command: escapeGlob(pending.part ?? pending.command ?? '') }
                  : {}),
              ...(pending.path ? { path: pending.path } : {}),
            },
            `approved always by ${ctx.actor} (approval #${id})`,
          );
        }
        const decided = decideApproval(ctx.ledger, id, 'approved', ctx.actor);
        if (ctx.json) printJson(io, decided);
        else
          printLine(
            io,
            `Approved #${id}: ${decided.tool} ${decided.command ?? decided.path ?? ''}${flags.always ? ' (and allowed from now on in this rig)' : ''}`,
          );
      }),
    );

  program
    .command('deny <id>')
    .description('refuse a parked tool call')
    .option('--reason <text>', 'why, told to the agent and kept in the ledger')
    .action((idText: string, flags: { reason?: string }, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { decideApproval } = await import('../../roles/gateway/approvals.js');
        const decided = decideApproval(ctx.ledger, parseSeq(idText, 'id'), 'denied', ctx.actor, flags.reason);
        if (ctx.json) printJson(io, decided);
        else printLine(io, `Denied #${decided.id}: ${decided.tool} ${decided.command ?? decided.path ?? ''}`);
      }),
    );
}
