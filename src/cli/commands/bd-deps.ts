// `gt bd dep add | remove | list | tree | cycles`: the dependency graph. `add` refuses an edge
// that would close a cycle among ordering edges; `cycles` finds the ones an import brought in.
import type { Command } from 'commander';
import type { CliIO, GlobalOptions } from '../io.js';
import { printJson, printLine } from '../io.js';
import { dependencyListJson } from '../render/bead-json.js';
import { edgeLine, treeLines } from '../render/bead-text.js';
import { parseCount, parseDepType } from './bd-args.js';
import { withBeads } from './bd-context.js';

/** bd's default depth for `dep tree`. */
const defaultMaxDepth = 50;

interface TreeFlags extends GlobalOptions {
  reverse?: boolean;
  maxDepth?: string;
}

export function registerBdDeps(bd: Command, io: CliIO): void {
  const dep = bd.command('dep').description('dependencies between beads');

  dep
    .command('add')
    .description('make <issue> depend on <depends-on>')
    .argument('<issue>', 'the dependent bead')
    .argument('<depends-on>', 'the bead it depends on')
    .option('-t, --type <type>', 'blocks, parent-child, related, discovered-from, … (default: blocks)')
    .action((issue: string, dependsOn: string, _options: unknown, command: Command) => {
      const flags = command.optsWithGlobals<GlobalOptions & { type?: string }>();
      const type = flags.type === undefined ? 'blocks' : parseDepType(flags.type);
      return withBeads(command, io, async (ctx) => {
        const added = await ctx.beads.addDependency(issue, dependsOn, type, ctx.change);
        if (ctx.json)
          return printJson(io, {
            status: 'added',
            issue_id: issue,
            depends_on_id: dependsOn,
            type: added.type,
          });
        printLine(io, `Added dependency: ${issue} depends on ${dependsOn} (${added.type})`);
      });
    });

  dep
    .command('remove')
    .alias('rm')
    .description('remove the edge from <issue> to <depends-on>')
    .argument('<issue>', 'the dependent bead')
    .argument('<depends-on>', 'the bead it depends on')
    .action((issue: string, dependsOn: string, _options: unknown, command: Command) =>
      withBeads(command, io, async (ctx) => {
        await ctx.beads.removeDependency(issue, dependsOn, ctx.change);
        if (ctx.json) return printJson(io, { status: 'removed', issue_id: issue, depends_on_id: dependsOn });
        printLine(io, `Removed dependency: ${issue} no longer depends on ${dependsOn}`);
      }),
    );

  dep
    .command('list')
    .description('what a bead depends on and what depends on it')
    .argument('<id>', 'bead id')
    .action((id: string, _options: unknown, command: Command) =>
      withBeads(command, io, async (ctx) => {
        const views = await ctx.beads.dependencies(id);
        if (ctx.json) return printJson(io, dependencyListJson(views));
        if (views.dependencies.length + views.dependents.length === 0)
          return printLine(io, `${id} has no dependencies`);
        if (views.dependencies.length > 0) printLine(io, `${id} depends on:`);
        for (const view of views.dependencies)
          printLine(io, `  ${edgeLine(view, view.dependency.depends_on_id, '→')}`);
        if (views.dependents.length > 0) printLine(io, `Depends on ${id}:`);
        for (const view of views.dependents)
          printLine(io, `  ${edgeLine(view, view.dependency.issue_id, '←')}`);
      }),
    );

  dep
    .command('tree')
    .description('the tree of what a bead depends on (--reverse: what depends on it)')
    .argument('<id>', 'root bead id')
    .option('--reverse', 'walk dependents instead of dependencies')
    .option('--max-depth <n>', `stop at this depth (default ${defaultMaxDepth})`)
    .action((id: string, _options: unknown, command: Command) => {
      const flags = command.optsWithGlobals<TreeFlags>();
      const maxDepth =
        flags.maxDepth === undefined ? defaultMaxDepth : parseCount(flags.maxDepth, '--max-depth', 1);
      return withBeads(command, io, async (ctx) => {
        const nodes = await ctx.beads.dependencyTree(id, { maxDepth, reverse: flags.reverse === true });
        if (ctx.json) return printJson(io, nodes);
        for (const line of treeLines(nodes)) printLine(io, line);
      });
    });

  dep
    .command('cycles')
    .description('cycles among blocking and parent-child edges')
    .action((_options: unknown, command: Command) =>
      withBeads(command, io, async (ctx) => {
        const cycles = await ctx.beads.cycles();
        if (ctx.json) return printJson(io, cycles);
        if (cycles.length === 0) return printLine(io, 'No dependency cycles');
        printLine(io, `Found ${cycles.length} dependency cycle${cycles.length === 1 ? '' : 's'}:`);
        for (const cycle of cycles) printLine(io, `  ${[...cycle, cycle[0]].join(' → ')}`);
      }),
    );
}
