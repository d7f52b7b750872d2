// `gt bd cook` and `gt bd mol …`: beads' names for formulas at the bead level. `cook` prints a
// proto (and with --persist keeps it as a template bead); `mol pour|wisp` make a molecule (a wisp is
// never exported); `mol list|show|progress` read them; `mol squash|burn` end them (the store forgets,
// the ledger keeps the record); `mol wisp gc` collects old wisps.
import type { Command } from 'commander';
import type { CookOptions, Proto } from '../../formulas/index.js';
import { invalidInput } from '../../errors.js';
import type { CliIO } from '../io.js';
import { printJson, printLine } from '../io.js';
import { moleculeLines } from '../render/formula-text.js';
import type { TownContext } from '../town-context.js';
import { withTown } from '../town-context.js';
import { collect } from './bd-args.js';

interface CookFlags {
  var?: string[];
  rig?: string;
  preset?: string;
  legs?: string;
}

const cookFlags = (command: Command): Command =>
  command
    .option('--var <name=value>', 'a variable or convoy input (repeatable)', collect)
    .option('--rig <rig>', 'the rig: its formulas are looked up first, its prefix names the beads')
    .option('--preset <preset>', 'convoy formulas: the legs of this preset')
    .option('--legs <a,b>', 'convoy formulas: exactly these legs');

export function registerBdMol(bd: Command, io: CliIO): void {
  cookFlags(bd.command('cook <formula>'))
    .description('cook a formula into a proto (JSON); without --var, {{var}} stays unfilled')
    .option('--persist', 'keep the proto as a template bead that `gt bd mol pour <id>` pours')
    .action((name: string, flags: CookFlags & { persist?: boolean }, command: Command) =>
      withTown(command, io, async (ctx) => {
        const proto = await cookFor(ctx, name, flags, false);
        if (!flags.persist) return printJson(io, proto);
        const { persistProto } = await import('../../roles/convoy/molecule-protos.js');
        const bead = await persistProto(ctx, proto, cookOptions(flags), ctx.actor, flags.rig);
        printJson(io, { id: bead.id, proto });
      }),
    );

  const mol = bd.command('mol').description('molecules: formulas poured into beads');
  for (const wisp of [false, true]) {
    cookFlags(mol.command(`${wisp ? 'wisp' : 'pour'} <proto>`))
      .description(
        wisp
          ? 'pour a wisp: an ephemeral molecule, never exported (`gt bd mol wisp gc` collects old ones)'
          : 'pour a formula (or a persisted proto bead) into a molecule: an epic with one bead per step',
      )
      .option('--agent <runtime>', 'the agent for steps that name none')
      .option('--age <duration>', 'with `wisp gc`: collect wisps older than this (default 1h)')
      .action((name: string, flags: CookFlags & { agent?: string; age?: string }, command: Command) =>
        withTown(command, io, async (ctx) => {
          if (wisp && name === 'gc') return gc(ctx, io, flags.age ?? '1h');
          const proto = await cookFor(ctx, name, flags, true);
          const { pourMolecule } = await import('../../roles/convoy/formula-run.js');
          const poured = await pourMolecule(ctx, {
            proto,
            actor: ctx.actor,
            wisp,
            ...(flags.rig === undefined ? {} : { rig: flags.rig }),
            ...(flags.agent === undefined ? {} : { agent: flags.agent }),
          });
          if (ctx.json) return printJson(io, { ...poured, wisp });
          printLine(io, `Poured ${proto.formula} as ${wisp ? 'wisp' : 'molecule'} ${poured.root.id}`);
          for (const s of poured.steps) printLine(io, `  ${s.bead}  ${s.step}  ${s.kind}`);
          for (const w of proto.warnings) printLine(io, `warning: ${w}`);
        }),
      );
  }

  mol
    .command('list')
    .description('molecules and wisps with their progress')
    .action((_flags: unknown, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { listMolecules, loadMolecule } = await import('../../formulas/index.js');
        const rows = [];
        for (const root of await listMolecules(ctx.beads)) {
          const m = await loadMolecule(ctx.beads, root.id);
          rows.push({
            id: root.id,
            formula: m.info.formula,
            wisp: m.wisp,
            done: m.done,
            total: m.total,
            finished: m.finished,
            title: root.title,
          });
        }
        if (ctx.json) return printJson(io, rows);
        for (const r of rows)
          printLine(io, `${r.id}  ${r.wisp ? 'wisp' : 'molecule'}  ${r.done}/${r.total}  ${r.formula}`);
      }),
    );

  for (const name of ['show', 'progress'] as const) {
    mol
      .command(`${name} <id>`)
      .description(
        name === 'show'
          ? 'a molecule: its steps, their state, its formula and variables'
          : "a molecule's progress",
      )
      .action((id: string, _flags: unknown, command: Command) =>
        withTown(command, io, async (ctx) => {
          const { loadMolecule } = await import('../../formulas/index.js');
          if (!(await ctx.beads.get(id))) return gone(ctx, io, id);
          const m = await loadMolecule(ctx.beads, id);
          const states = Object.fromEntries(
            ['done', 'working', 'ready', 'waiting', 'overseer'].map((s) => [
              s,
              m.steps.filter((x) => x.step.kind !== 'container' && x.state === s).length,
            ]),
          );
          if (ctx.json)
            return printJson(
              io,
              name === 'show'
                ? m
                : {
                    molecule: m.root.id,
                    formula: m.info.formula,
                    total: m.total,
                    done: m.done,
                    finished: m.finished,
                    states,
                  },
            );
          if (name === 'show') for (const line of moleculeLines(m)) printLine(io, line);
          else
            printLine(
              io,
              `${m.root.id}: ${m.done}/${m.total} closed${m.finished ? ' (finished)' : ''}; ${Object.entries(
                states,
              )
                .map(([k, v]) => `${k} ${v}`)
                .join(', ')}`,
            );
        }),
      );
  }

  mol
    .command('squash <id>')
    .description('replace a finished molecule by one closed digest bead (the ledger keeps every step)')
    .option('--summary <text>', 'the digest text (default: the steps and their close reasons)')
    .action((id: string, flags: { summary?: string }, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { squashMolecule } = await import('../../roles/convoy/molecule-ends.js');
        const result = await squashMolecule(ctx, id, ctx.actor, flags.summary);
        if (ctx.json) return printJson(io, result);
        printLine(
          io,
          `Squashed ${result.molecule} into digest ${result.digest.id}; removed ${result.removed.length} bead(s) (the ledger keeps their record)`,
        );
      }),
    );

  mol
    .command('burn <id>')
    .description('throw a molecule away: its beads leave the store (the ledger keeps their record)')
    .action((id: string, _flags: unknown, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { burnMolecule } = await import('../../roles/convoy/molecule-ends.js');
        const removed = await burnMolecule(ctx, id, ctx.actor);
        if (ctx.json) return printJson(io, { molecule: id, removed });
        printLine(io, `Burned ${id}: removed ${removed.length} bead(s) (the ledger keeps their record)`);
      }),
    );
}

/** `--preset` / `--legs a,b` as cook options (shared with `gt formula run`). */
export function cookOptions(flags: CookFlags): Omit<CookOptions, 'vars'> {
  return {
    ...(flags.preset === undefined ? {} : { preset: flags.preset }),
    ...(flags.legs === undefined
      ? {}
      : {
          legs: flags.legs
            .split(',')
            .map((l) => l.trim())
            .filter(Boolean),
        }),
  };
}

async function cookFor(ctx: TownContext, name: string, flags: CookFlags, strict: boolean): Promise<Proto> {
  const { parseVarPairs } = await import('../../formulas/index.js');
  const { cookNamed } = await import('../../roles/convoy/molecule-protos.js');
  return cookNamed(
    ctx,
    ctx.root,
    name,
    { ...cookOptions(flags), vars: parseVarPairs(flags.var ?? []), strict },
    flags.rig,
  );
}

async function gc(ctx: TownContext, io: CliIO, age: string): Promise<void> {
  const { durationMs } = await import('../../formulas/index.js');
  const { gcWisps } = await import('../../roles/convoy/molecule-ends.js');
  const ms = durationMs(age);
  if (ms === undefined) throw invalidInput(`--age: "${age}" is not a duration (30s, 15m, 1h, 2d)`);
  const collected = await gcWisps(ctx, ms, ctx.actor);
  if (ctx.json) return printJson(io, { collected });
  printLine(
    io,
    `Collected ${collected.length} wisp(s)${collected.length > 0 ? `: ${collected.join(', ')}` : ''}`,
  );
}

/** A molecule the store no longer has: what the ledger says became of it. */
async function gone(ctx: TownContext, io: CliIO, id: string): Promise<void> {
  const { queryEvents } = await import('../../ledger/index.js');
  const end = queryEvents(ctx.db, { beadId: id })
    .filter((e) => e.kind === 'molecule.squashed' || e.kind === 'molecule.burned')
    .at(-1);
  if (!end) throw invalidInput(`no bead or molecule ${id} in this town`);
  const how =
    end.kind === 'molecule.squashed' ? `squashed into digest ${String(end.payload.digest)}` : 'burned';
  if (ctx.json) return printJson(io, { molecule: id, gone: true, event: end });
  printLine(
    io,
    `${id} is no longer in the store: ${how} at ${end.ts} by ${end.actor} (ledger #${end.seq}); the ledger keeps every bead it had (gt trace ${id})`,
  );
}
