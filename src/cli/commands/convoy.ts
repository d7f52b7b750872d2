// `gt convoy create|add|launch|status|list`: groups of beads that land together. Until the daemon
// drives convoys, `launch` dispatches in the foreground: it slings the ready beads one after another.
import type { Command } from 'commander';
import { homedir } from 'node:os';
import { ErrorCode, GasTownError, invalidInput } from '../../errors.js';
import type { CliIO } from '../io.js';
import { printJson, printLine } from '../io.js';
import type { TownContext } from '../town-context.js';
import { withTown } from '../town-context.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function rigForOf(pairs: string[] | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const [bead, rig, ...rest] = pair.split('=');
    if (!bead || !rig || rest.length > 0) throw invalidInput(`--rig-for: "${pair}" is not <bead>=<rig>`);
    map[bead] = rig;
  }
  return map;
}

export function registerConvoy(program: Command, io: CliIO): void {
  const convoy = program.command('convoy').description('groups of beads that land together');
  const rigForHelp = 'the rig for a bead whose id prefix names none (repeatable)';

  convoy
    .command('create <name> <beads...>')
    .description('a new convoy of beads; each goes to the rig its id prefix names, or --rig-for')
    .option('--rig-for <bead=rig>', rigForHelp, collect)
    .action((name: string, beads: string[], flags: { rigFor?: string[] }, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { createConvoy } = await import('../../roles/convoy/convoy.js');
        const made = await createConvoy(ctx, { name, beads, rigFor: rigForOf(flags.rigFor) }, ctx.actor);
        if (ctx.json) return printJson(io, made);
        printLine(
          io,
          `Created convoy ${made.convoy.id} "${made.convoy.name}" with ${made.added.length} bead(s)`,
        );
        for (const m of made.added) printLine(io, `  ${m.bead_id} → ${m.rig}`);
      }),
    );

  convoy
    .command('add <convoy> <beads...>')
    .description('add beads to a convoy that has not landed')
    .option('--rig-for <bead=rig>', rigForHelp, collect)
    .action((id: string, beads: string[], flags: { rigFor?: string[] }, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { addToConvoy } = await import('../../roles/convoy/convoy.js');
        const made = await addToConvoy(ctx, id, { beads, rigFor: rigForOf(flags.rigFor) }, ctx.actor);
        if (ctx.json) return printJson(io, made);
        printLine(io, `Added ${made.added.length} bead(s) to ${id}`);
        for (const m of made.added) printLine(io, `  ${m.bead_id} → ${m.rig}`);
      }),
    );

  convoy
    .command('launch <convoy>')
    .description('launch a convoy: sling its ready beads now (in the foreground), within capacity')
    .option('--once', 'one dispatch pass only')
    .option('--agent <runtime>', 'the agent runtime (default: default_agent in town.yaml)')
    .action((id: string, flags: { once?: boolean; agent?: string }, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { launchConvoy } = await import('../../roles/convoy/convoy-dispatch.js');
        const report = await launchConvoy(ctx, ctx.root, id, {
          actor: ctx.actor,
          home: io.env.HOME ?? homedir(),
          ...(flags.once ? { once: true } : {}),
          ...(flags.agent === undefined ? {} : { agent: flags.agent }),
          onStart: (info) => {
            if (!ctx.json)
              printLine(
                io,
                `Slung ${info.beadId} on ${info.rig}/polecats/${info.polecat} (branch ${info.branch})`,
              );
          },
        });
        if (ctx.json) printJson(io, report);
        else {
          for (const s of report.slung) printLine(io, `  ${s.beadId}: ${s.outcome}: ${s.summary}`);
          for (const w of report.waiting) printLine(io, `  ${w.beadId} waits: ${w.reason}`);
          for (const f of report.failed) printLine(io, `  ${f.beadId} not slung: ${f.error}`);
          printLine(
            io,
            report.landed
              ? `Convoy ${id} has landed`
              : `Convoy ${id} launched: ${report.slung.length} bead(s) slung`,
          );
        }
        if (report.failed.length > 0) {
          throw new GasTownError(ErrorCode.conflict, `${report.failed.length} bead(s) could not be slung`, {
            shown: !ctx.json,
            ids: { convoy: id },
          });
        }
      }),
    );

  convoy
    .command('status <convoy>')
    .description("a convoy's progress: its beads by state (ready, working, review, merged/closed, blocked)")
    .action((id: string, _flags: unknown, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { convoyProgress, landConvoyIfDone } = await import('../../roles/convoy/convoy-progress.js');
        await landConvoyIfDone(ctx, id, ctx.actor);
        const progress = await convoyProgress(ctx, id);
        if (ctx.json) return printJson(io, progress);
        const { convoy: c, counts } = progress;
        printLine(io, `${c.id} "${c.name}" ${c.state}: ${counts.closed} of ${progress.total} closed`);
        printLine(
          io,
          `  ready ${counts.ready}  working ${counts.working}  review ${counts.review}  merged/closed ${counts.closed}  blocked ${counts.blocked}`,
        );
        for (const b of progress.beads)
          printLine(io, `  ${b.id}  ${b.rig}  ${b.state}  ${b.status}  ${b.title}`);
      }),
    );

  convoy
    .command('list')
    .description('every convoy with its state and how many of its beads are closed')
    .action((_flags: unknown, command: Command) => withTown(command, io, (ctx) => listAll(ctx, io)));
}

async function listAll(ctx: TownContext, io: CliIO): Promise<void> {
  const { listConvoys } = await import('../../roles/convoy/convoy.js');
  const { convoyProgress } = await import('../../roles/convoy/convoy-progress.js');
  const rows = [];
  for (const convoy of listConvoys(ctx.db)) {
    const progress = await convoyProgress(ctx, convoy.id);
    rows.push({ ...convoy, total: progress.total, closed: progress.counts.closed });
  }
  if (ctx.json) return printJson(io, rows);
  if (rows.length === 0) return printLine(io, 'No convoys yet; `gt convoy create <name> <bead>…` makes one');
  for (const r of rows) printLine(io, `${r.id}  ${r.state}  ${r.closed}/${r.total} closed  ${r.name}`);
}
