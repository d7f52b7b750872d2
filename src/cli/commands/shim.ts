// `gt shim -- <gt|bd> <args…>`: what the `bd` and `gt` shims inside an agent's sandbox run. The
// town is invisible in there, so the command goes to the agent's session over loopback HTTP
// ($GT_HOOK_URL, $GT_HOOK_TOKEN), which checks it against the polecat's allowlist, runs it on the
// host and answers its output and exit code; this prints them. It never opens the town.
import type { Command } from 'commander';
import { ErrorCode, GasTownError } from '../../errors.js';
import type { CliIO } from '../io.js';

/** gt's exit codes back to the error that carries them (errors.ts); anything else is a failure. */
const errorFor: Readonly<Record<number, ErrorCode>> = {
  2: ErrorCode.invalidInput,
  3: ErrorCode.notFound,
  4: ErrorCode.conflict,
  5: ErrorCode.notInTown,
};

export function registerShim(program: Command, io: CliIO): void {
  program
    .command('shim <name> [args...]')
    .description(
      'inside an agent sandbox: forward a `gt` or `bd` command to its Gas Town session (the shims run `gt shim -- bd …`)',
    )
    .helpOption(false)
    .allowUnknownOption()
    .action(async (name: string, args: string[]) => {
      const { isForwardShim, forwardShims } = await import('../../agents/town-forward-policy.js');
      if (!isForwardShim(name)) {
        throw new GasTownError(
          ErrorCode.invalidInput,
          `gt shim: unknown shim "${name}" (known: ${forwardShims.join(', ')})`,
        );
      }
      const { forwardTownCommand, readForwardStdin } = await import('../../agents/town-forward-client.js');
      const result = await forwardTownCommand(name, args, {
        cwd: io.cwd,
        env: io.env,
        stdin: readForwardStdin(),
      });
      if (result.stdout !== '') io.stdout(result.stdout);
      if (result.stderr !== '') io.stderr(result.stderr);
      if (result.exitCode === 0) return;
      // Already shown: the top level only turns it into the command's exit code.
      throw new GasTownError(errorFor[result.exitCode] ?? ErrorCode.internal, result.stderr, { shown: true });
    });
}
