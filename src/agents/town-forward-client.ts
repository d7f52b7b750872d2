// The shim's side of forwarding (`gt shim -- <gt|bd> <args…>`, run by the `bd` and `gt` shims in a
// sandbox): posts the argv, the cwd and — when it is a pipe or a file — stdin to the session's
// loopback server, and hands back the command's stdout, stderr and exit code. It opens no town and
// decides nothing: the session checks the command and runs it. The token goes in a header, never
// on a command line.
import { fstatSync, readFileSync } from 'node:fs';
import { postToSession, sessionUrl } from './session-post.js';
import { hookTokenEnv, hookUrlEnv } from './claude-code/hook-protocol.js';
import { defaultForwardTimeoutMs, townForwardPath } from './town-forward.js';
import type { TownCommandResult } from './town-forward.js';
import type { ForwardShim } from './town-forward-policy.js';

/** The loopback server's address and token; claude-code's hook server serves both. */
export const forwardUrlEnv = hookUrlEnv;
export const forwardTokenEnv = hookTokenEnv;

/** The client waits for the server's own time bound, and a minute more for the answer to arrive. */
const clientWaitMs = defaultForwardTimeoutMs + 60_000;

/**
 * stdin when it is a pipe or a file. A terminal or /dev/null (what agents' shells usually give a
 * command) is not read: no town command needs it, and waiting on it would hang.
 */
export function readForwardStdin(fd = 0): Buffer | undefined {
  try {
    const stat = fstatSync(fd);
    if (!stat.isFIFO() && !stat.isFile()) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  }
}

function isResult(value: unknown): value is TownCommandResult {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['exitCode'] === 'number' && typeof v['stdout'] === 'string' && typeof v['stderr'] === 'string'
  );
}

const failed = (why: string): TownCommandResult => ({ exitCode: 1, stdout: '', stderr: `gt shim: ${why}\n` });

/** Forwards one command; never throws: a failure is exit code 1 with the reason on stderr. */
export async function forwardTownCommand(
  shim: ForwardShim,
  args: readonly string[],
  context: { cwd: string; env: Record<string, string | undefined>; stdin?: Buffer | undefined },
): Promise<TownCommandResult> {
  const base = context.env[forwardUrlEnv];
  const token = context.env[forwardTokenEnv];
  if (!base || !token) {
    return failed(
      `${forwardUrlEnv} and ${forwardTokenEnv} are not set: \`${shim}\` here only works inside a Gas Town session`,
    );
  }
  let url: URL;
  try {
    url = sessionUrl(base, townForwardPath);
  } catch {
    return failed(`${forwardUrlEnv} is not a URL: ${base}`);
  }
  if (url.protocol !== 'http:') return failed(`${forwardUrlEnv} must be an http:// URL: ${base}`);
  const body = JSON.stringify({
    shim,
    args,
    cwd: context.cwd,
    ...(context.stdin === undefined || context.stdin.length === 0
      ? {}
      : { stdin: context.stdin.toString('base64') }),
  });
  try {
    const answer = await postToSession(url, token, body, clientWaitMs);
    if (answer.status !== 200)
      return failed(`the session answered ${answer.status}: ${answer.text.slice(0, 500)}`);
    const parsed = JSON.parse(answer.text) as unknown;
    return isResult(parsed) ? parsed : failed("the session's answer is not a command result");
  } catch (error) {
    return failed(`cannot reach the session: ${error instanceof Error ? error.message : String(error)}`);
  }
}
