// `gt` and `bd` on the agent's PATH: two small shell scripts in `<town>/.gt/bin` that run this
// town's gt (the same node and the same built CLI as the process starting the session), so an agent
// that knows beads' commands (`bd ready`, `bd show`, `bd close`, `bd create --deps
// discovered-from:<id>`) acts on this town, as its polecat (GT_TOWN and GT_ACTOR from agent-env).
// They are (re)written at every session start, atomically, so a rebuilt or moved gt is picked up.
// Agents whose tools run on the host (Claude Code and its hooks, Codex) see them; steps that run in
// the bubblewrap sandbox (the script runtime) do not, since the town is invisible in there.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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

/** Writes (or refreshes) the `gt` and `bd` shims of the town; returns their directory. */
export function writeAgentShims(townRoot: string, options: ShimOptions = {}): string {
  const dir = shimDir(townRoot);
  const node = options.node ?? process.execPath;
  const entry = resolve(options.entry ?? gtEntry());
  mkdirSync(dir, { recursive: true });
  for (const name of ['gt', 'bd'] as const) {
    const file = join(dir, name);
    const script = shimScript(name, node, entry);
    if (existsSync(file) && readFileSync(file, 'utf8') === script) continue;
    // Sessions start side by side: write a private file and rename it over the shim.
    const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(temp, script, { mode: 0o755 });
    renameSync(temp, file);
  }
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
