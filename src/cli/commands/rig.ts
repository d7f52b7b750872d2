// `gt rig add | list | remove | set | unset | show`: the town's rigs and their settings. Thin: find
// the town, open its database, call `src/town`, render text or JSON.
import type { Command } from 'commander';
import type { RigJournal, RigSettingJournal, RigView } from '../../town/index.js';
import { addRig, changeRigSetting, removeRig, rigSettings, rigViews } from '../../town/index.js';
import type { CliIO, GlobalOptions } from '../io.js';
import { printJson, printLine } from '../io.js';
import type { TownContext } from '../town-context.js';
import { withTown } from '../town-context.js';

interface AddFlags extends GlobalOptions {
  branch?: string;
  check?: string;
  prefix?: string;
  mergeMode?: string;
  github?: string;
  maxPolecats?: string;
}

export function registerRig(program: Command, io: CliIO): void {
  const rig = program.command('rig').description("manage the town's rigs (git repositories)");

  rig
    .command('add')
    .description('mirror a repository into the town and register it as a rig')
    .argument('<name>', 'rig name: a-z, 0-9, "-", "_", starting with a letter')
    .argument('<git-url>', 'anything git clone takes: a local path, file://, https://, ssh')
    .option('--branch <branch>', "target branch (default: the remote's HEAD branch)")
    .option('--check <command>', 'command that must pass before a change merges')
    .option('--prefix <prefix>', 'bead id prefix, 2-8 lowercase letters/digits (default: from the name)')
    .option('--merge-mode <mode>', 'how changes land: local | push | pr (default: local)')
    .option('--github <owner/repo>', 'the GitHub repository pull requests open on (merge mode pr)')
    .option('--max-polecats <n>', 'polecats that may work on this rig at once (default: 4)')
    .action(async (name: string, url: string, _options: unknown, command: Command) => {
      const flags = command.optsWithGlobals<AddFlags>();
      const view = await withTown(command, io, (ctx) =>
        addRig(ctx.root, ctx.db, {
          name,
          url,
          cwd: io.cwd,
          journal: journalOf(ctx),
          ...(flags.branch === undefined ? {} : { branch: flags.branch }),
          ...(flags.check === undefined ? {} : { check: flags.check }),
          ...(flags.prefix === undefined ? {} : { prefix: flags.prefix }),
          ...(flags.mergeMode === undefined ? {} : { mergeMode: flags.mergeMode }),
          ...(flags.github === undefined ? {} : { githubRepo: flags.github }),
          ...(flags.maxPolecats === undefined ? {} : { maxPolecats: Number(flags.maxPolecats) }),
        }),
      );
      if (flags.json) return printJson(io, view);
      printLine(
        io,
        `Added rig "${view.name}" (prefix ${view.prefix}) from ${view.git_url} on branch ${view.branch}`,
      );
      printLine(io, `  ${view.path}`);
    });

  rig
    .command('list')
    .description("list the town's rigs")
    .action(async (_options: unknown, command: Command) => {
      const flags = command.optsWithGlobals<GlobalOptions>();
      const views = await withTown(command, io, (ctx) => Promise.resolve(rigViews(ctx.root, ctx.db)));
      if (flags.json) return printJson(io, views);
      if (views.length === 0) return printLine(io, 'No rigs yet; add one with `gt rig add <name> <git-url>`');
      for (const view of views) printLine(io, describe(view));
    });

  rig
    .command('remove')
    .description('remove a rig: its directory (mirror and worktrees) and its registration')
    .argument('<name>', 'rig name')
    .action(async (name: string, _options: unknown, command: Command) => {
      const flags = command.optsWithGlobals<GlobalOptions>();
      await withTown(command, io, (ctx) => removeRig(ctx.root, ctx.db, name, journalOf(ctx)));
      if (flags.json) return printJson(io, { removed: name });
      printLine(io, `Removed rig "${name}"`);
    });

  registerRigSettings(rig, io);
}

function registerRigSettings(rig: Command, io: CliIO): void {
  rig
    .command('set')
    .description('change one rig.yaml setting (dotted keys for nested ones), validated before it is written')
    .argument('<rig>', 'rig name')
    .argument('<key>', `setting, e.g. merge_mode, check, max_polecats, github.repo, github.api_url`)
    .argument('<value>', "the new value, read as the setting's type")
    .action(async (name: string, key: string, value: string, _options: unknown, command: Command) => {
      const flags = command.optsWithGlobals<GlobalOptions>();
      const change = await withTown(command, io, (ctx) =>
        changeRigSetting(ctx.root, ctx.db, name, key, value, journalOf(ctx)),
      );
      if (flags.json) return printJson(io, change);
      printLine(io, `${name}: ${key} = ${shown(change.to)} (was ${shown(change.from)})`);
    });

  rig
    .command('unset')
    .description('remove one rig.yaml setting, so its default applies')
    .argument('<rig>', 'rig name')
    .argument('<key>', 'setting, e.g. check or github.api_url')
    .action(async (name: string, key: string, _options: unknown, command: Command) => {
      const flags = command.optsWithGlobals<GlobalOptions>();
      const change = await withTown(command, io, (ctx) =>
        changeRigSetting(ctx.root, ctx.db, name, key, undefined, journalOf(ctx)),
      );
      if (flags.json) return printJson(io, change);
      printLine(io, `${name}: ${key} = ${shown(change.to)} (default; was ${shown(change.from)})`);
    });

  rig
    .command('show')
    .description("a rig's settings, defaults included")
    .argument('<rig>', 'rig name')
    .action(async (name: string, _options: unknown, command: Command) => {
      const flags = command.optsWithGlobals<GlobalOptions>();
      const view = await withTown(command, io, (ctx) => rigSettings(ctx.root, ctx.db, name));
      if (flags.json) return printJson(io, view);
      printLine(io, `${view.rig}  (${view.path})`);
      for (const [key, value] of flatten(view.settings)) {
        printLine(io, `  ${key}: ${shown(value)}${view.defaults.includes(key) ? '  (default)' : ''}`);
      }
    });
}

/** `github.repo` → value pairs of a settings object, nested groups spelled with dots. */
function flatten(value: Record<string, unknown>, prefix = ''): [string, unknown][] {
  return Object.entries(value).flatMap(([key, item]): [string, unknown][] =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? flatten(item as Record<string, unknown>, `${prefix}${key}.`)
      : [[`${prefix}${key}`, item]],
  );
}

function shown(value: unknown): string {
  return value === undefined ? 'unset' : typeof value === 'string' ? value : JSON.stringify(value);
}

function journalOf(ctx: TownContext): RigJournal & RigSettingJournal {
  return (kind, payload) => ctx.ledger.append({ kind, actor: ctx.actor, payload });
}

function describe(view: RigView): string {
  const check = view.check === null ? '' : `  check: ${view.check}`;
  return `${view.name}  prefix ${view.prefix}  ${view.branch}  ${view.git_url}  merge ${view.merge_mode}${check}`;
}
