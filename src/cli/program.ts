// Builds the commander program. Each command group registers itself from its own file under
// `commands/`, and loads what it needs lazily so `gt` starts fast.
import { Command, CommanderError } from 'commander';
import { ExitCode, GasTownError, exitCodeOf } from '../errors.js';
import type { CliIO, GlobalOptions } from './io.js';
import { registerApprovals } from './commands/approvals.js';
import { registerAudit } from './commands/audit.js';
import { registerBd } from './commands/bd.js';
import { registerDemo } from './commands/demo.js';
import { registerDoctor } from './commands/doctor.js';
import { registerConvoy } from './commands/convoy.js';
import { registerCosts } from './commands/costs.js';
import { registerDashboard } from './commands/dashboard.js';
import { registerEscalate } from './commands/escalate.js';
import { registerFeed } from './commands/feed.js';
import { registerFormula } from './commands/formula.js';
import { registerHandoff } from './commands/handoff.js';
import { registerHook } from './commands/hook.js';
import { registerShim } from './commands/shim.js';
import { registerInstall } from './commands/install.js';
import { registerMail } from './commands/mail.js';
import { registerNudge } from './commands/nudge.js';
import { registerPeek } from './commands/peek.js';
import { registerMayor } from './commands/mayor.js';
import { registerMcp } from './commands/mcp.js';
import { registerPolicy } from './commands/policy.js';
import { registerRefinery } from './commands/refinery.js';
import { registerRig } from './commands/rig.js';
import { registerSling } from './commands/sling.js';
import { registerStore } from './commands/store.js';
import { registerTrace } from './commands/trace.js';
import { registerUp } from './commands/up.js';
import { registerWitness } from './commands/witness.js';

export function buildProgram(io: CliIO): Command {
  const program = new Command('gt')
    .description('Gas Town: a governed, auditable multi-agent coding orchestrator')
    .option('--json', 'machine-readable output')
    .option('--town <dir>', 'the town directory (default: $GT_TOWN, else the current directory upward)')
    .option('--actor <name>', 'who is acting, recorded on every change (default: $GT_ACTOR, else overseer)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError();
  registerDemo(program, io);
  registerDoctor(program, io);
  registerStore(program, io);
  registerInstall(program, io);
  registerRig(program, io);
  registerBd(program, io);
  registerSling(program, io);
  registerConvoy(program, io);
  registerFormula(program, io);
  registerCosts(program, io);
  registerUp(program, io);
  registerDashboard(program, io);
  registerApprovals(program, io);
  registerFeed(program, io);
  registerMail(program, io);
  registerNudge(program, io);
  registerHandoff(program, io);
  registerPeek(program, io);
  registerTrace(program, io);
  registerAudit(program, io);
  registerPolicy(program, io);
  registerWitness(program, io);
  registerEscalate(program, io);
  registerRefinery(program, io);
  registerMayor(program, io);
  registerMcp(program, io);
  registerHook(program, io);
  registerShim(program, io);
  return program;
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has already printed its message (or the help / version it was asked for).
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    const json = wantsJson(argv);
    const message = error instanceof Error ? error.message : String(error);
    if (json) io.stderr(JSON.stringify({ error: message, ...codeOf(error) }) + '\n');
    else if (!(error instanceof GasTownError && error.shown)) io.stderr(`gt: ${message}\n`);
    if (!(error instanceof GasTownError) && io.env.GT_DEBUG && error instanceof Error) {
      io.stderr(`${error.stack ?? ''}\n`);
    }
    return json ? ExitCode.failure : exitCodeOf(error);
  }
}

function codeOf(error: unknown): { code?: string } {
  return error instanceof GasTownError ? { code: error.code } : {};
}

function wantsJson(argv: string[]): boolean {
  // After `--` every word is an argument (`gt shim -- bd ready --json` forwards its --json).
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json');
}

export function globalsOf(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}
