// `gt up`, `gt down`, `gt status`, `gt estop`, `gt thaw`: the town daemon and the state of the town.
import type { Command } from 'commander';
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { ErrorCode, GasTownError } from '../../errors.js';
import { locateTown, townPaths } from '../../town/index.js';
import type { CliIO, GlobalOptions } from '../io.js';
import { printJson, printLine } from '../io.js';
import { withTown } from '../town-context.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `gt up` refuses to start a daemon that could run nothing: what is missing, and the fix. */
async function assertTownCanRun(root: string, env: Record<string, string | undefined>): Promise<void> {
  const { openTownServices } = await import('../../town/services.js');
  const { listRigs } = await import('../../town/index.js');
  const { assertWorkCanRun } = await import('../../roles/polecat/work-blockers.js');
  const town = openTownServices(root, { env });
  let rigs: string[];
  try {
    rigs = listRigs(town.db).map((rig) => rig.name);
  } finally {
    town.close();
  }
  await assertWorkCanRun({ root, rigs, env });
}

export function registerUp(program: Command, io: CliIO): void {
  program
    .command('up')
    .description('start the town daemon (Witness, Refinery, Deacon loops); one per town')
    .option('--foreground', 'run in this process until SIGTERM / Ctrl-C')
    .option('--host <addr>', 'where the dashboard listens (default 127.0.0.1; only when given explicitly)')
    .action(async (flags: { foreground?: boolean; host?: string }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const root = locateTown({ flag: globals.town, env: io.env, cwd: io.cwd });
      const { readDaemon, daemonLog } = await import('../../daemon/pid-file.js');
      const gtDir = townPaths(root).gtDir;
      const running = readDaemon(gtDir);
      if (running)
        throw new GasTownError(ErrorCode.conflict, `the town daemon is already running (pid ${running.pid})`);
      await assertTownCanRun(root, io.env);
      if (flags.foreground) {
        const { runDaemon } = await import('../../daemon/run.js');
        printLine(io, `Town daemon running in the foreground (pid ${process.pid}); Ctrl-C stops it`);
        await runDaemon({
          root,
          env: io.env,
          ...(flags.host === undefined ? {} : { dashboardHost: flags.host }),
        });
        return;
      }
      const log = openSync(daemonLog(gtDir), 'a');
      const hostArgs = flags.host === undefined ? [] : ['--host', flags.host];
      const child = spawn(
        process.execPath,
        [process.argv[1] ?? '', '--town', root, 'up', '--foreground', ...hostArgs],
        {
          detached: true,
          stdio: ['ignore', log, log],
          env: io.env,
        },
      );
      child.unref();
      for (let waited = 0; waited < 15_000; waited += 100) {
        const record = readDaemon(gtDir);
        if (record?.state === 'running') {
          if (globals.json) printJson(io, { pid: record.pid, log: daemonLog(gtDir) });
          else printLine(io, `Town daemon up (pid ${record.pid}); log at ${daemonLog(gtDir)}`);
          return;
        }
        await sleep(100);
      }
      throw new GasTownError(ErrorCode.internal, `the daemon did not come up; see ${daemonLog(gtDir)}`);
    });

  program
    .command('down')
    .description('stop the town daemon gracefully')
    .action(async (_flags: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const root = locateTown({ flag: globals.town, env: io.env, cwd: io.cwd });
      const { processLive, readDaemon } = await import('../../daemon/pid-file.js');
      const gtDir = townPaths(root).gtDir;
      const record = readDaemon(gtDir);
      if (!record) return printLine(io, 'The town daemon is not running');
      process.kill(record.pid, 'SIGTERM');
      for (let waited = 0; waited < 60_000; waited += 100) {
        if (!readDaemon(gtDir) && !processLive(record.pid))
          return printLine(io, `Town daemon stopped (pid ${record.pid})`);
        await sleep(100);
      }
      throw new GasTownError(
        ErrorCode.internal,
        `the daemon (pid ${record.pid}) did not stop within a minute`,
      );
    });

  program
    .command('status')
    .description('the town at a glance: daemon, rigs, polecats, merge queue, convoys, escalations, approvals')
    .action((_flags: unknown, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { townStatus, renderStatus } = await import('../../daemon/status.js');
        const status = townStatus(ctx);
        if (ctx.json) printJson(io, status);
        else renderStatus(status).forEach((line) => printLine(io, line));
      }),
    );

  program
    .command('estop')
    .description('freeze every agent process at once (SIGSTOP); no new step starts until `gt thaw`')
    .option('--rig <rig>', 'only this rig')
    .option('--reason <text>', 'why, for the ledger', 'emergency stop by the Overseer')
    .action((flags: { rig?: string; reason: string }, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { estop } = await import('../../roles/budget/estop.js');
        const result = estop(ctx, ctx.actor, flags.reason, flags.rig);
        if (ctx.json) printJson(io, result);
        else
          printLine(
            io,
            `Frozen (${result.scope}): ${result.signalled} running step(s) stopped; \`gt thaw\` resumes`,
          );
      }),
    );

  program
    .command('thaw')
    .description('resume what `gt estop` froze')
    .option('--rig <rig>', 'only this rig')
    .option('--reason <text>', 'why, for the ledger', 'thawed by the Overseer')
    .action((flags: { rig?: string; reason: string }, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { thaw } = await import('../../roles/budget/estop.js');
        const result = thaw(ctx, ctx.actor, flags.reason, flags.rig);
        if (ctx.json) printJson(io, result);
        else printLine(io, `Thawed (${result.scope}): ${result.signalled} step(s) resumed`);
      }),
    );
}
