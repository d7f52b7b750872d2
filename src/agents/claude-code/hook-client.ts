// The thin `gt hook <event>` process Claude Code runs for each hook: it forwards the hook input from
// stdin to its session over loopback HTTP and prints the session's answer. It opens no database and
// decides nothing itself. Every failure (no URL, refused connection, timeout, non-200, bad JSON)
// ends with the event's failure exit code, which for the tool hooks is 2: the call is blocked.
import {
  defaultHookWaitMs,
  failureExit,
  hookPath,
  hookTimeoutEnv,
  hookTokenEnv,
  hookUrlEnv,
} from './hook-protocol.js';
import type { HookEvent } from './hook-protocol.js';
import { postToSession, sessionUrl } from '../session-post.js';

export interface HookRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

class HookFailure extends Error {}

async function forward(
  event: HookEvent,
  input: string,
  env: Record<string, string | undefined>,
): Promise<string> {
  const base = env[hookUrlEnv];
  const token = env[hookTokenEnv];
  if (!base) throw new HookFailure(`${hookUrlEnv} is not set: this hook only runs inside a Gas Town session`);
  if (!token) throw new HookFailure(`${hookTokenEnv} is not set`);
  let url: URL;
  try {
    url = sessionUrl(base, hookPath(event));
  } catch {
    throw new HookFailure(`${hookUrlEnv} is not a URL: ${base}`);
  }
  if (url.protocol !== 'http:') throw new HookFailure(`${hookUrlEnv} must be an http:// URL: ${base}`);
  try {
    JSON.parse(input);
  } catch {
    throw new HookFailure('the hook input on stdin is not JSON');
  }
  const wait = Number(env[hookTimeoutEnv] ?? defaultHookWaitMs);
  const answer = await postToSession(
    url,
    token,
    input,
    Number.isFinite(wait) && wait > 0 ? wait : defaultHookWaitMs,
  );
  if (answer.status !== 200) {
    throw new HookFailure(`the session answered ${answer.status}: ${answer.text.slice(0, 500)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.text);
  } catch {
    throw new HookFailure(`the session's answer is not JSON: ${answer.text.slice(0, 200)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HookFailure("the session's answer is not a JSON object");
  }
  return Object.keys(parsed).length === 0 ? '' : JSON.stringify(parsed);
}

/** Forwards one hook; never throws: failures become the exit code and a reason on stderr. */
export async function runHook(
  event: HookEvent,
  input: string,
  env: Record<string, string | undefined>,
): Promise<HookRun> {
  try {
    return { exitCode: 0, stdout: await forward(event, input, env), stderr: '' };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const blocked = failureExit(event) === 2 ? ' (blocked: the Gas Town policy could not be asked)' : '';
    return { exitCode: failureExit(event), stdout: '', stderr: `gt hook ${event}: ${reason}${blocked}\n` };
  }
}
