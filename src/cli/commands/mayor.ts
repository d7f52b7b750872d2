// `gt mayor plan|ask|attach|report`: the Mayor. `plan` turns a structured plan file into beads, a
// convoy and its dependencies in one transaction; `ask` and `attach` run the Mayor as an agent with
// the town's tools (`gt mcp`); `report` runs one pass of the Mayor's reports on launched convoys.
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ErrorCode, GasTownError, invalidInput } from '../../errors.js';
import type { MayorEvent, PlanResult } from '../../mayor/index.js';
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

  registerReport(mayor, io);

  mayor
    .command('ask <request...>')
    .description(
      "ask the Mayor (the town's default model runtime) to plan and launch work with the town's tools",
    )
    .option(
      '--agent <runtime>',
      'anthropic, openai or claude-code (default: mayor.agent, else default_agent in town.yaml)',
    )
    .action((words: string[], flags: { agent?: string }, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { askMayor } = await import('../../mayor/index.js');
        const result = await askMayor({
          town: ctx,
          root: ctx.root,
          request: words.join(' '),
          by: ctx.actor,
          env: io.env,
          gt: gtCommand(),
          ...(flags.agent === undefined ? {} : { agent: flags.agent }),
          ...(ctx.json ? {} : { onEvent: (event: MayorEvent) => showEvent(io, event) }),
        });
        if (ctx.json) return printJson(io, result);
        printLine(io, result.answer.text);
        if (result.answer.outcome !== 'success') {
          throw new GasTownError(ErrorCode.internal, `the Mayor did not finish (${result.answer.outcome})`, {
            shown: true,
            ids: { request: result.request.id },
          });
        }
      }),
    );

  mayor
    .command('attach')
    .description(
      'talk with the Mayor: Claude Code in this terminal for claude-code, else a line-based session',
    )
    .option(
      '--agent <runtime>',
      'anthropic, openai or claude-code (default: mayor.agent, else default_agent in town.yaml)',
    )
    .option(
      '--repl',
      'the line-based session even when the runtime is claude-code (needs anthropic or openai)',
    )
    .action((flags: { agent?: string; repl?: boolean }, command: Command) =>
      withTown(command, io, async (ctx) => {
        const mayorModule = await import('../../mayor/index.js');
        const { loadTownConfig } = await import('../../town/index.js');
        const runtime = mayorModule.chooseMayorRuntime(await loadTownConfig(ctx.root), flags.agent);
        if (runtime.name === 'claude-code') {
          if (flags.repl)
            throw invalidInput('--repl: the line-based session runs on anthropic or openai (--agent)');
          const request = mayorModule.recordRequest(ctx, '(interactive session: gt mayor attach)', ctx.actor);
          const code = await mayorModule.attachClaude({
            root: ctx.root,
            cwd: mayorModule.mayorDir(ctx.root),
            config: runtime.config,
            env: io.env,
            gt: gtCommand(),
            request,
            system: await mayorModule.mayorPrompt(ctx, ctx.root),
          });
          if (code !== 0)
            throw new GasTownError(ErrorCode.internal, `claude exited with code ${code}`, { shown: true });
          return;
        }
        await mayorModule.runMayorRepl({
          town: ctx,
          root: ctx.root,
          by: ctx.actor,
          env: io.env,
          gt: gtCommand(),
          runtime: { ...runtime, name: runtime.name },
          input: process.stdin,
          write: io.stdout,
          prompt: process.stdin.isTTY,
          onEvent: (event) => showEvent(io, event),
        });
      }),
    );
}

function registerReport(mayor: Command, io: CliIO): void {
  mayor
    .command('report')
    .description(
      'one pass of the Mayor reports (the daemon runs them): mail the Overseer about convoys that landed or got stuck',
    )
    .action((_flags: unknown, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { reportConvoys } = await import('../../mayor/index.js');
        const sent = await reportConvoys(ctx);
        if (ctx.json) return printJson(io, sent);
        if (sent.length === 0) return printLine(io, 'Nothing new to report');
        for (const report of sent)
          printLine(io, `Reported to the Overseer (${report.mail}): ${report.subject}`);
      }),
    );
}

/** How the Mayor's MCP server is started: this very `gt` (node and its bundle). */
function gtCommand(): string[] {
  return [process.execPath, process.argv[1] ?? 'gt'];
}

function showEvent(io: CliIO, event: MayorEvent): void {
  if (event.type === 'tool') {
    const args = JSON.stringify(event.input);
    const mark = event.isError ? `  ✗ ${event.output.split('\n')[0] ?? ''}` : '';
    printLine(io, `  → ${event.name} ${args.length > 160 ? `${args.slice(0, 159)}…` : args}${mark}`);
  }
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
