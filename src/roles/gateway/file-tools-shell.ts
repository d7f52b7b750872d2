// What the file tools share: each runs as one small /bin/sh script through the session's sandbox
// runner, so it sees and may touch exactly what a `run` step would (confinement, uid, masked
// secrets). Operands are single-quoted words; a path starting with `-` gets `./` so none can pass
// for an option; bytes travel as base64 both ways, so nothing a file holds is ever shell text.
import { posix } from 'node:path';
import type { ToolStatus } from '../../agents/index.js';
import type { SandboxRunner, SandboxSpec, StepResult } from '../../sandbox/index.js';
import { shellQuote } from './shell-quote.js';

export interface FileToolResult {
  status: ToolStatus;
  output: string;
  exitCode?: number;
}

export interface FileToolContext {
  spec: SandboxSpec;
  runner: SandboxRunner;
  signal?: AbortSignal;
}

/** What a tool shows the agent at most; the rest is named, not sent. */
export const outputCap = 64 * 1024;
const toolTimeoutMs = 120_000;

/** Exit codes the scripts use for the common path problems (the shell's own are 1, 2, 126+). */
export const PathExit = { directory: 3, missing: 4, notFile: 5, tooBig: 6, failed: 7 } as const;

export const failure = (output: string, exitCode?: number): FileToolResult => ({
  status: 'error',
  output,
  ...(exitCode === undefined ? {} : { exitCode }),
});

/** A path as the agent gave it, readable in a message even with newlines or control characters. */
export function shown(path: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what we look for
  return /[\u0000-\u001f\u007f]/.test(path) ? JSON.stringify(path) : path;
}

/** The path as a quoted operand that cannot pass for an option: `-x` becomes `./-x`. */
export function pathOperand(path: string): string {
  return shellQuote(path.startsWith('-') ? `./${path}` : path);
}

export function parentOperand(path: string): string {
  return pathOperand(posix.dirname(path));
}

/** Lines that set `f` to the path and exit with a PathExit code unless it is a readable file. */
export function regularFileChecks(path: string): string[] {
  return [
    `f=${pathOperand(path)}`,
    `if [ -d "$f" ]; then exit ${PathExit.directory}; fi`,
    `if [ ! -e "$f" ]; then exit ${PathExit.missing}; fi`,
    `if [ ! -f "$f" ]; then exit ${PathExit.notFile}; fi`,
  ];
}

/** The message for a PathExit code, or undefined for any other exit. */
export function pathProblem(exitCode: number, path: string): string | undefined {
  const name = shown(path);
  switch (exitCode) {
    case PathExit.directory:
      return `${name} is a directory (the list tool shows what is in it)`;
    case PathExit.missing:
      return `${name} does not exist`;
    case PathExit.notFile:
      return `${name} is not a regular file`;
    default:
      return undefined;
  }
}

export function runScript(context: FileToolContext, lines: string[]): Promise<StepResult> {
  return context.runner.run(context.spec, lines.join('\n'), {
    timeoutMs: toolTimeoutMs,
    ...(context.signal === undefined ? {} : { signal: context.signal }),
  });
}

/** The failure for a script that did not succeed, in the agent's terms. */
export function scriptFailure(result: StepResult, path: string, doing: string): FileToolResult {
  if (result.aborted) return failure(`${doing} ${shown(path)} was stopped`, result.exitCode);
  if (result.timedOut) return failure(`${doing} ${shown(path)} took too long`, result.exitCode);
  const known = pathProblem(result.exitCode, path);
  const said = result.stderr.trim().replace(/^\/bin\/sh: \d+: /gm, '');
  return failure(known ?? `${doing} ${shown(path)} failed${said ? `: ${said}` : ''}`, result.exitCode);
}

export const fromBase64 = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'base64');

/** The longest prefix of `bytes` within `max` that does not end inside a UTF-8 character. */
export function utf8Prefix(bytes: Buffer, max: number): Buffer {
  if (bytes.length <= max) return bytes;
  let end = max;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end);
}

/**
 * Scripts writing `bytes` to the path: the first replaces the file (after `prepare`, which may use
 * `$f`), the rest append, each small enough to pass execve as one argument.
 */
export function writeScripts(path: string, bytes: Buffer, prepare: string[] = []): string[][] {
  const chunk = 48 * 1024; // 64 KiB of base64: well under the kernel's 128 KiB per argument.
  const target = `f=${pathOperand(path)}`;
  if (bytes.length === 0) return [[target, ...prepare, `: > "$f" || exit ${PathExit.failed}`]];
  const scripts: string[][] = [];
  for (let at = 0; at < bytes.length; at += chunk) {
    const data = shellQuote(bytes.subarray(at, at + chunk).toString('base64'));
    const redirect = at === 0 ? '>' : '>>';
    scripts.push([
      target,
      ...(at === 0 ? prepare : []),
      `printf '%s' ${data} | base64 -d ${redirect} "$f" || exit ${PathExit.failed}`,
    ]);
  }
  return scripts;
}
