// `gt doctor [--json] [--fix]`: checks what the town needs (machine: node, git, bubblewrap, agent
// binaries, disk; town: its files, model endpoints, database, ledger, daemon files, worktrees and
// branches) and says what to do. Outside a town it runs the machine checks and says so.
import type { Command } from 'commander';
import { ErrorCode, GasTownError } from '../../errors.js';
import { locateTown } from '../../town/index.js';
import type { CliIO, GlobalOptions } from '../io.js';
import { printJson, printLine } from '../io.js';
import { actorOf } from '../town-context.js';

const help = `
Each check prints ok, warn or fail, a one-line finding and, when not ok, the exact fix.
--json prints an array of {check, status, message, fix} (status: ok | warn | fail).
--fix repairs only what is safe, says what it did and records each repair in the ledger:
  a stale .gt/daemon.json, worktree registrations whose directory is gone (git worktree prune),
  orphaned polecat worktrees whose work is committed on a branch, and orphaned polecat/* branches
  already merged into the rig's target. Unmerged or uncommitted work is never deleted.
Exits 1 when any check fails. See docs/doctor.md.`;

const mark = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;

export function registerDoctor(program: Command, io: CliIO): void {
  program
    .command('doctor')
    .description('check what the town needs (machine, files, database, ledger, worktrees) and say what to do')
    .option('--fix', 'repair what is safe to repair (never unmerged or uncommitted work)')
    .addHelpText('after', help)
    .action(async (flags: { fix?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const root = townOrNothing(globals, io);
      const { runDoctor } = await import('../../doctor/index.js');
      const report = await runDoctor({
        root,
        env: io.env,
        ...(flags.fix ? { fix: true } : {}),
        actor: actorOf(globals, io),
      });
      if (globals.json) {
        const repairs = report.repairs.map((action) => ({
          check: 'fix',
          status: 'ok',
          message: action,
          fix: null,
        }));
        printJson(io, [...repairs, ...report.findings]);
      } else {
        for (const action of report.repairs) printLine(io, `fixed ${action}`);
        for (const f of report.findings) {
          printLine(io, `${mark[f.status]}  ${f.check}: ${f.message}`);
          if (f.fix !== null) printLine(io, `      fix: ${f.fix}`);
        }
      }
      const failed = report.findings.filter((f) => f.status === 'fail').length;
      if (failed > 0)
        throw new GasTownError(ErrorCode.internal, `${failed} check(s) failed`, { shown: !globals.json });
    });
}

/** The town when one is named or found; outside one (from the working directory), none. */
function townOrNothing(globals: GlobalOptions, io: CliIO): string | undefined {
  try {
    return locateTown({ flag: globals.town, env: io.env, cwd: io.cwd });
  } catch (error) {
    const named = (globals.town ?? '') !== '' || (io.env.GT_TOWN ?? '') !== '';
    if (!named && error instanceof GasTownError && error.code === ErrorCode.notInTown) return undefined;
    throw error;
  }
}
