// `gt demo`: the whole town at work on generated sample rigs, in about a minute, with no model.
import type { Command } from 'commander';
import { ErrorCode, GasTownError } from '../../errors.js';
import type { CliIO, GlobalOptions } from '../io.js';
import { printJson, printLine } from '../io.js';

export function registerDemo(program: Command, io: CliIO): void {
  program
    .command('demo')
    .description(
      'make a town with two sample rigs, run a convoy of 8 beads through it, and show what happened',
    )
    .option('--dir <dir>', 'where to make it (default: a new temporary directory)')
    .option('--keep', 'leave the town daemon running afterwards (`gt down` stops it)')
    .action(async (flags: { dir?: string; keep?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const { runDemo } = await import('../../demo/run.js');
      const print = globals.json ? () => undefined : (line: string) => printLine(io, line);
      const summary = await runDemo({
        env: io.env,
        print,
        ...(flags.dir === undefined ? {} : { dir: flags.dir }),
      });
      if (globals.json) printJson(io, summary);
      else {
        printLine(io, '');
        printLine(io, summary.landed ? 'The convoy landed.' : 'The convoy did NOT land in time.');
        printLine(
          io,
          `  merged ${summary.merged} · reworked ${summary.reworked} · denied ${summary.denied} · asked ${summary.asked} · ${summary.seconds} s`,
        );
        printLine(
          io,
          `  ${summary.verified ? 'ledger verified' : 'LEDGER DID NOT VERIFY'} (${summary.events} events)`,
        );
        printLine(io, '');
        printLine(io, `The town is at ${summary.root}. Try (from this repository, \`gt\` is \`npx gt\`):`);
        printLine(io, `  export GT_TOWN=${summary.root}`);
        printLine(io, '  gt status                 # rigs, polecats, queue, convoys');
        printLine(io, '  gt feed -n 30             # the last events, one line each');
        printLine(io, `  gt convoy status ${summary.convoy}`);
        printLine(
          io,
          `  gt trace ${summary.traceExample}        # what happened to one bead, and why (it conflicted at merge)`,
        );
        printLine(io, '  git -C $GT_TOWN/calc/repo.git log --format="%h %an %s" main');
      }
      if (flags.keep) {
        const { spawnSync } = await import('node:child_process');
        const up = spawnSync(process.execPath, [process.argv[1] ?? '', '--town', summary.root, 'up'], {
          encoding: 'utf8',
          env: io.env,
        });
        if (!globals.json)
          printLine(
            io,
            up.status === 0
              ? `Daemon left running: ${up.stdout.trim()}\n  gt dashboard              # its address and token: the town in a browser`
              : `Could not leave the daemon running: ${up.stderr.trim()}`,
          );
      }
      if (!summary.landed || !summary.verified) {
        throw new GasTownError(ErrorCode.internal, 'the demo did not finish cleanly', {
          shown: !globals.json,
        });
      }
    });
}
