// Resolving paths the way the kernel will: `~` and `$HOME` expanded, relative paths against the
// working directory, symlinks followed on the longest prefix that exists (a missing tail is kept),
// `..` applied after the symlinks before it, so a link inside the worktree that points outside is
// outside.
import { realpathSync } from 'node:fs';
import { isAbsolute, normalize, resolve } from 'node:path';
import type { ShellWord } from './shell/types.js';
import type { PolicyEnv } from './types.js';

/** The call's places, symlink-free. */
export interface ResolvedEnv {
  worktree: string;
  home: string;
  townRoot: string;
  cwd: string;
  readOnly: string[];
  /** The session's private scratch directory; undefined when there is none (no sandbox). */
  tmp: string | undefined;
}

/** A resolved path; `below` = the operand was a glob standing for paths below `path`. */
export interface Place {
  path: string;
  below: boolean;
}

/** `sandboxed`: commands run in the sandbox, whose /tmp is the session's own (the default scratch). */
export function resolveEnv(env: PolicyEnv, sandboxed = true): ResolvedEnv {
  const tmp = env.tmp ?? (sandboxed ? '/tmp' : undefined);
  const worktree = realpathLongest(resolve(env.worktree));
  return {
    worktree,
    home: realpathLongest(resolve(env.home)),
    townRoot: realpathLongest(resolve(env.townRoot)),
    cwd: realpathLongest(resolve(worktree, env.cwd ?? '.')),
    readOnly: (env.readOnly ?? []).map((path) => realpathLongest(resolve(path))),
    tmp: tmp === undefined ? undefined : realpathLongest(resolve(tmp)),
  };
}

const neutralDevices =
  /^\/dev\/(null|zero|full|random|urandom|stdin|stdout|stderr|tty|fd\/\d+)$|^\/proc\/self\/fd\/\d+$/;

export function isNeutralDevice(path: string): boolean {
  return neutralDevices.test(path);
}

/** Follows symlinks on the longest existing prefix of `abs`; the rest is appended as written. */
export function realpathLongest(abs: string): string {
  const lexical = normalize(abs);
  if (isNeutralDevice(lexical)) return lexical;
  const parts = abs.split('/').filter((p) => p !== '' && p !== '.');
  for (let i = parts.length; i >= 0; i--) {
    try {
      const real = realpathSync(`/${parts.slice(0, i).join('/')}`);
      return resolve(real, ...parts.slice(i));
    } catch {
      continue;
    }
  }
  return resolve(abs);
}

/** A path as a tool call names it: `~`, `$HOME` and `${HOME}` expanded, relative to the cwd. */
export function resolveCallPath(text: string, env: ResolvedEnv): string {
  const expanded = text
    .replace(/^~(?=\/|$)/, env.home)
    .replace(/\$\{HOME\}|\$HOME(?![A-Za-z0-9_])/g, env.home);
  return realpathLongest(isAbsolute(expanded) ? expanded : `${env.cwd}/${expanded}`);
}

/**
 * A shell word as a path, or undefined when it depends on something only known at run time
 * (a variable other than HOME, a substitution, `~user`, or a relative path from an unknown cwd).
 */
export function resolveWord(word: ShellWord, base: string | undefined, env: ResolvedEnv): Place | undefined {
  let text = '';
  let globAt = -1;
  for (const [index, segment] of word.segments.entries()) {
    if (segment.kind === 'lit') text += segment.text;
    else if (segment.kind === 'glob') {
      if (globAt < 0) globAt = text.length;
      text += segment.text;
    } else if (segment.kind === 'tilde' && index === 0 && segment.text === '~') text += env.home;
    else if (segment.kind === 'var' && segment.text === 'HOME') text += env.home;
    else if (segment.kind === 'var' && segment.text === 'PWD' && base !== undefined) text += base;
    else return undefined;
  }
  if (text === '') return undefined;
  const fixed = globAt < 0 ? text : text.slice(0, text.lastIndexOf('/', globAt) + 1) || '.';
  if (!isAbsolute(fixed) && base === undefined) return undefined;
  const abs = isAbsolute(fixed) ? fixed : `${base}/${fixed}`;
  return { path: realpathLongest(abs), below: globAt >= 0 };
}

/** `path` is `root` or below it. */
export function within(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`);
}

/** Every path the operand may touch lies in the worktree. */
export function inWorktree(place: Place, env: ResolvedEnv): boolean {
  return within(env.worktree, place.path);
}

/** The operand is the worktree itself or holds it (`rm -rf .`, `rm -rf ..`, `rm -rf ../*`). */
export function holdsWorktree(place: Place, env: ResolvedEnv): boolean {
  return place.below
    ? within(place.path, env.worktree) && place.path !== env.worktree
    : within(place.path, env.worktree);
}
