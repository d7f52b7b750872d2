// `gt mayor plan|ask|attach|report`: the Mayor. `plan` turns a structured plan file into beads, a
// convoy and its dependencies in one transaction; `ask` and `attach` run the Mayor as an agent with
// the town's tools; `report` runs one pass of the Mayor's reports on launched convoys.
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { PlanResult } from '../../mayor/index.js';
import type { CliIO } from '../io.js';
import { printJson, printLine } from '../io.js';
import { withTown } from '../town-context.js';

export function registerMayor(program: Command, io: CliIO): void {
  const mayor = program.command('mayor').description('the Mayor: plans work and reports back');

  mayor
    .command('plan <file>')
    .description('create a plan (YAML: convoy, beads with rigs, steps, depends_on) in one transaction')
    .option('--launch', "launch the plan's convoy (the daemon slings its beads)")
    .action((file: string, flags: { launch?: boolean }, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { applyPlan, loadPlan, mayorActor, requestSpanOf } = await import('../../mayor/index.js');
        const text = await readFile(resolve(io.cwd, file), 'utf8');
        const checked = await loadPlan(ctx, text, file);
        const requestSpan = requestSpanOf(io.env);
        const result = await applyPlan(ctx, checked, {
          source: file,
          ...(ctx.actor === mayorActor ? {} : { submittedBy: ctx.actor }),
          ...(requestSpan === undefined ? {} : { requestSpan }),
          ...(flags.launch ? { launch: true } : {}),
        });
        if (ctx.json) return printJson(io, result);
        const { readDaemon } = await import('../../daemon/pid-file.js');
        renderPlan(io, result, readDaemon(ctx.paths.gtDir) !== undefined);
      }),
    );
}

function renderPlan(io: CliIO, result: PlanResult, daemonUp: boolean): void {
  printLine(io, `Planned ${result.beads.length} bead(s) (mayor.plan #${result.seq}):`);
  const width = Math.max(...result.beads.map((b) => b.key.length));
  for (const b of result.beads) printLine(io, `  ${b.key.padEnd(width)}  ${b.id}  → ${b.rig}  ${b.title}`);
  const convoy = result.convoy;
  if (convoy === undefined) return;
  printLine(io, `Convoy ${convoy.id} "${convoy.name}" ${convoy.state}`);
  if (convoy.state !== 'launched') {
    printLine(io, `  launch it with \`gt convoy launch ${convoy.id}\` (or \`gt mayor plan --launch\`)`);
  } else if (!daemonUp) {
    printLine(
      io,
      `  the town daemon is not running: \`gt up\` dispatches it, or \`gt convoy launch ${convoy.id}\` slings in the foreground`,
    );
  }
}
