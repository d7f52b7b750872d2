// `gt` and `bd` on the agent's PATH: two small shell scripts in `<town>/.gt/bin` that run this
// town's gt (the same node and the same built CLI as the process starting the session), so an agent
// that knows beads' commands (`bd ready`, `bd show`, `bd close`, `bd create --deps
// discovered-from:<id>`) acts on this town, as its polecat (GT_TOWN and GT_ACTOR from agent-env).
// They are (re)written at every session start, atomically, so a rebuilt or moved gt is picked up.
// Agents whose tools run on the host see them; steps that run in the bubblewrap sandbox (the script
// runtime) do not, since the town is invisible in there. An agent process that runs whole inside
// the sandbox (Claude Code) gets the forwarding shims instead (`forwardShimDir`): same names, but
// they send the command to the session, which runs it here (src/agents/town-forward.ts).
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCode, GasTownError } from '../errors.js';

/** `<town>/.gt/bin`, the directory agent-env puts first on PATH. */
export function shimDir(townRoot: string): string {
  return join(townRoot, '.gt', 'bin');
}

/** Quotes one word for a POSIX shell: single quotes, with `'` written as `'\''`. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The built CLI (`dist/bin/gt.js`): found from this module up to the package root, so it works
 * from the bundle (dist/bin), the compiled tree (dist/src) and the sources (tests).
 */
export function gtEntry(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'dist', 'bin', 'gt.js');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    const beside = join(dir, 'gt.js');
    if (dir.endsWith(join('dist', 'bin')) && existsSync(beside)) return beside;
    if (dirname(dir) === dir) break;
  }
  throw new GasTownError(
    ErrorCode.io,
    `cannot find the built gt (dist/bin/gt.js) above ${from}; run \`npm run build\``,
  );
}

export interface ShimOptions {
  /** The node executable (default: this process's). */
  node?: string;
  /** The CLI entry (default: found by `gtEntry`). */
  entry?: string;
}

export function shimScript(name: 'gt' | 'bd', node: string, entry: string): string {
  const sub = name === 'bd' ? ' bd' : '';
  return [
    '#!/bin/sh',
    `# Gas Town: \`${name}\` for agents of this town (rewritten at every session start).`,
    `exec ${shellQuote(node)} ${shellQuote(entry)}${sub} "$@"`,
    '',
  ].join('\n');
}

/**
 * `<town>/.gt/sandbox-bin`: the forwarding shims, mounted read-only into a sandboxed agent and put
 * first on its PATH there (the town's own bin is invisible in the sandbox).
 */
export function forwardShimDir(townRoot: string): string {
  return join(townRoot, '.gt', 'sandbox-bin');
}

/**
 * A shim for inside the sandbox: `gt shim` posts the command to the session, which runs it on the
 * host (src/agents/town-forward.ts). `--` keeps every argument the agent's, options included.
 */
export function forwardShimScript(name: 'gt' | 'bd', node: string, entry: string): string {
  return [
    '#!/bin/sh',
    `# Gas Town: \`${name}\` inside an agent's sandbox, forwarded to its session (rewritten at every session start).`,
    `exec ${shellQuote(node)} ${shellQuote(entry)} shim -- ${name} "$@"`,
    '',
  ].join('\n');
}

function writeShims(dir: string, script: (name: 'gt' | 'bd') => string): void {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  for (const name of ['gt', 'bd'] as const) {
    const file = join(dir, name);
    const text = script(name);
    if (existsSync(file) && readFileSync(file, 'utf8') === text) continue;
    // Sessions start side by side: write a private file and rename it over the shim.
    const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(temp, text, { mode: 0o755 });
    renameSync(temp, file);
  }
}

/** Writes (or refreshes) the `gt` and `bd` shims of the town; returns their directory. */
export function writeAgentShims(townRoot: string, options: ShimOptions = {}): string {
  const dir = shimDir(townRoot);
  const node = options.node ?? process.execPath;
  const entry = resolve(options.entry ?? gtEntry());
  writeShims(dir, (name) => shimScript(name, node, entry));
  return dir;
}

/**
 * Writes (or refreshes) the forwarding shims; returns their directory. Readable by everyone (the
 * sandbox uid runs them): they hold only the paths of node and gt, no secret.
 */
export function writeForwardShims(townRoot: string, options: ShimOptions = {}): string {
  const dir = forwardShimDir(townRoot);
  const node = options.node ?? process.execPath;
  const entry = resolve(options.entry ?? gtEntry());
  writeShims(dir, (name) => forwardShimScript(name, node, entry));
  chmodSync(dir, 0o755);
  return dir;
}

/**
 * `writeAgentShims` for a session start, which must not fail for want of a shim: returns the
 * problem instead (e.g. gt was never built, as when tests run from the sources).
 */
export function refreshAgentShims(townRoot: string, options: ShimOptions = {}): string | undefined {
  try {
    writeAgentShims(townRoot, options);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
