// `gt hook <event>`: the command Claude Code runs for each hook of a governed session. It forwards
// the hook input (stdin) to its session over loopback HTTP ($GT_HOOK_URL, $GT_HOOK_TOKEN) and
// prints the answer. It never opens the town: the session already holds the policy and the ledger.
// Any failure exits 2 (1 for `stop`, where 2 would mean "keep working"), so Claude Code blocks a
// call nobody could judge.
import type { Command } from 'commander';
import { ErrorCode, GasTownError } from '../../errors.js';
import type { CliIO } from '../io.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function registerHook(program: Command, io: CliIO): void {
  program
    .command('hook <event>')
    .description(
      'forward a Claude Code hook to its Gas Town session (pre-tool-use, post-tool-use, post-tool-use-failure, stop, session-start)',
    )
    .action(async (event: string) => {
      const { hookEvents, isHookEvent } = await import('../../agents/claude-code/hook-protocol.js');
      if (!isHookEvent(event)) {
        // invalid_input exits 2, which blocks the call too.
        throw new GasTownError(
          ErrorCode.invalidInput,
          `gt hook: unknown event "${event}" (known: ${Object.keys(hookEvents).join(', ')})`,
        );
      }
      const { runHook } = await import('../../agents/claude-code/hook-client.js');
      const run = await runHook(event, await readStdin(), io.env);
      if (run.stdout !== '') io.stdout(`${run.stdout}\n`);
      if (run.exitCode === 0) return;
      io.stderr(run.stderr);
      // The exit code table has one code per error kind: invalid_input is 2 (block), internal is 1.
      throw new GasTownError(run.exitCode === 2 ? ErrorCode.invalidInput : ErrorCode.internal, run.stderr, {
        shown: true,
      });
    });
}
