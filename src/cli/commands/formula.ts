// `gt formula list|show|run`: the formulas a town can use (the rig's, the town's, the built-ins),
// one in detail, and running one — pour it, group its steps in a convoy and launch it in one
// transaction, then sling the ready steps in the foreground (or leave them to the daemon: --detach).
import type { Command } from 'commander';
import { homedir } from 'node:os';
import { ErrorCode, GasTownError } from '../../errors.js';
import type { CliIO } from '../io.js';
import { printJson, printLine } from '../io.js';
import { formulaLines } from '../render/formula-text.js';
import { withTown } from '../town-context.js';
import { collect } from './bd-args.js';
import { cookOptions } from './bd-mol.js';

interface RunFlags {
  var?: string[];
  rig?: string;
  preset?: string;
  legs?: string;
  agent?: string;
  detach?: boolean;
}

export function registerFormula(program: Command, io: CliIO): void {
  const formula = program.command('formula').description('formulas: repeatable workflows of steps (TOML)');

  formula
    .command('list')
    .description("the formulas this town can run: the rig's .beads/formulas, the town's formulas/, built-ins")
    .option('--rig <rig>', "also the rig's own formulas")
    .action((flags: { rig?: string }, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { townFormulaPath } = await import('../../roles/convoy/formula-run.js');
        const { listFormulas } = await import('../../formulas/index.js');
        const entries = listFormulas(townFormulaPath(ctx.root, flags.rig));
        if (ctx.json) return printJson(io, entries);
        for (const e of entries)
          printLine(io, `${e.name}  ${e.origin}${e.shadowed ? ' (shadowed)' : ''}  ${e.file}`);
      }),
    );

  formula
    .command('show <name>')
    .description('a formula in detail: variables, steps, legs, presets, and the keys not acted on')
    .option('--rig <rig>', "look in the rig's formulas first")
    .action((name: string, flags: { rig?: string }, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { townFormulaPath } = await import('../../roles/convoy/formula-run.js');
        const { cook, loadFormula } = await import('../../formulas/index.js');
        const loaded = loadFormula(townFormulaPath(ctx.root, flags.rig), name);
        const warnings = loaded.type === 'convoy' ? [] : cook(loaded).warnings;
        if (ctx.json) return printJson(io, { ...loaded, warnings });
        for (const line of formulaLines(loaded, warnings)) printLine(io, line);
      }),
    );

  formula
    .command('run <name>')
    .description('pour a formula into a molecule, make its convoy and launch it (one transaction)')
    .option('--var <name=value>', 'a variable or convoy input (repeatable)', collect)
    .option('--rig <rig>', 'the rig the steps go to (default: the only rig)')
    .option('--preset <preset>', 'convoy formulas: the legs of this preset')
    .option('--legs <a,b>', 'convoy formulas: exactly these legs')
    .option('--agent <runtime>', 'the agent for steps that name none (default: the town default)')
    .option('--detach', 'launch only; the daemon (gt up) slings the steps')
    .action((name: string, flags: RunFlags, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { runFormula } = await import('../../roles/convoy/formula-run.js');
        const { parseVarPairs } = await import('../../formulas/index.js');
        const result = await runFormula(ctx, ctx.root, {
          name,
          actor: ctx.actor,
          vars: parseVarPairs(flags.var ?? []),
          ...(flags.rig === undefined ? {} : { rig: flags.rig }),
          ...cookOptions(flags),
          ...(flags.agent === undefined ? {} : { agent: flags.agent }),
        });
        const { molecule, convoy, proto } = result;
        if (!ctx.json) {
          printLine(
            io,
            `Poured ${proto.formula} as molecule ${molecule.root.id} (${molecule.steps.length} step beads); convoy ${convoy.id} launched`,
          );
          for (const s of molecule.steps) printLine(io, `  ${s.bead}  ${s.step}  ${s.kind}`);
          for (const w of proto.warnings) printLine(io, `warning: ${w}`);
        }
        if (flags.detach) return ctx.json ? printJson(io, result) : undefined;
        const { launchConvoy } = await import('../../roles/convoy/convoy-dispatch.js');
        const report = await launchConvoy(ctx, ctx.root, convoy.id, {
          actor: ctx.actor,
          home: io.env.HOME ?? homedir(),
          onStart: (info) => {
            if (!ctx.json)
              printLine(
                io,
                `Slung ${info.beadId} on ${info.rig}/polecats/${info.polecat} (branch ${info.branch})`,
              );
          },
        });
        if (ctx.json) printJson(io, { ...result, dispatch: report });
        else for (const s of report.slung) printLine(io, `  ${s.beadId}: ${s.outcome}: ${s.summary}`);
        if (report.failed.length > 0) {
          throw new GasTownError(
            ErrorCode.conflict,
            `${report.failed.length} step(s) could not be slung: ${report.failed.map((f) => `${f.beadId}: ${f.error}`).join('; ')}`,
            {
              ids: { convoy: convoy.id },
            },
          );
        }
      }),
    );
}
