// The one way the town runs git on anything a polecat could have written: a polecat's or the
// Refinery's work tree, and the rig's bare repository whose branches polecats fill. Git is told
// exactly where the repository and the work tree are (`--git-dir`/`--work-tree`, so the work tree's
// `.git` entry is never read), with hooks, fsmonitor, pagers, editors, submodule recursion, system
// and global configuration and attribute files all off, and an environment built from an allowlist
// (no `GIT_*` of our own process leaks in). Only configuration the town itself wrote (the rig's
// `repo.git/config`) and the `-c` settings below apply, so a `.gitattributes` in a branch can name a
// filter, diff or merge driver but nothing defines one. Remote operations (clone, fetch, push) keep
// the user's global configuration for credentials but still run no hook and ignore variables that
// would point git at another repository.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execGit, stdoutOf } from './run-git.js';
import type { GitResult } from './run-git.js';

/** A work tree and its git admin directory (`<repo.git>/worktrees/<id>`), both from trusted data. */
export interface WorkTree {
  gitDir: string;
  workTree: string;
}

/** Where a hardened git runs: a work tree, or a (bare) repository on its own. */
export type GitPlace = WorkTree | { gitDir: string; workTree?: undefined };

export interface HardenedOptions {
  /** Variables we set ourselves (author and committer identity); never inherited ones. */
  env?: Record<string, string>;
}

let emptyDirPath: string | undefined;

/**
 * A directory of ours that stays empty for the process's life: hooks are looked up in it (none is
 * there) and it is git's HOME (no `~/.gitconfig`, no `~/.config/git/*`). Private (0700), outside
 * every worktree and invisible to the sandbox (which has its own /tmp); made again if it was touched.
 */
export function emptyGitDir(): string {
  if (emptyDirPath !== undefined) {
    try {
      if (readdirSync(emptyDirPath).length === 0) return emptyDirPath;
      rmSync(emptyDirPath, { recursive: true, force: true });
    } catch {
      // Gone: make a new one below.
    }
  }
  const made = mkdtempSync(join(tmpdir(), 'gastown-git-empty-'));
  if (emptyDirPath === undefined) process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  emptyDirPath = made;
  return made;
}

/** `-c` settings for every hardened git: nothing configured can run a program or reach a network. */
export function hardenedConfig(): string[] {
  return [
    `core.hooksPath=${emptyGitDir()}`,
    'core.fsmonitor=false',
    'core.untrackedCache=false',
    'core.attributesFile=/dev/null',
    'core.pager=cat',
    'core.editor=true',
    'submodule.recurse=false',
    'diff.ignoreSubmodules=all',
    'status.submoduleSummary=false',
    'commit.gpgSign=false',
    'tag.gpgSign=false',
    'gc.auto=0',
    'maintenance.auto=false',
    'protocol.allow=never',
  ];
}

/** The environment of a hardened git: built from scratch, only PATH is taken from ours. */
export function hardenedEnv(extra: Record<string, string> = {}): Record<string, string> {
  const home = emptyGitDir();
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LC_ALL: 'C',
    HOME: home,
    XDG_CONFIG_HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ATTR_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GCM_INTERACTIVE: 'never',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    GIT_EDITOR: 'true',
    EDITOR: 'true',
    VISUAL: 'true',
    GIT_SEQUENCE_EDITOR: 'true',
    GIT_PROTOCOL_FROM_USER: '0',
    ...extra,
  };
}

function placeArgs(place: GitPlace): string[] {
  const args = [`--git-dir=${place.gitDir}`];
  if (place.workTree !== undefined) args.push(`--work-tree=${place.workTree}`);
  return [...args, ...hardenedConfig().flatMap((setting) => ['-c', setting])];
}

/** Runs a hardened git at `place` and returns whatever happened. */
export function tryGitAt(
  place: GitPlace,
  args: readonly string[],
  options: HardenedOptions = {},
): Promise<GitResult> {
  // The work tree is the cwd so pathspecs like `.` mean it; a bare repository runs in itself.
  return execGit([...placeArgs(place), ...args], place.workTree ?? place.gitDir, hardenedEnv(options.env));
}

/** Runs a hardened git at `place`; its trimmed stdout, or a `git_failed` error. */
export async function gitAt(
  place: GitPlace,
  args: readonly string[],
  options: HardenedOptions = {},
): Promise<string> {
  return stdoutOf(args, await tryGitAt(place, args, options));
}

/** Variables of ours that would make git use another repository, index or object store. */
const locating =
  /^GIT_(DIR|WORK_TREE|INDEX_FILE|INDEX_VERSION|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|COMMON_DIR|NAMESPACE|CEILING_DIRECTORIES|DISCOVERY_ACROSS_FILESYSTEM|PREFIX|GRAFT_FILE|REPLACE_REF_BASE|NO_REPLACE_OBJECTS|SHALLOW_FILE|QUARANTINE_PATH|EXEC_PATH|CONFIG|CONFIG_PARAMETERS|CONFIG_COUNT|CONFIG_KEY_\d+|CONFIG_VALUE_\d+|TEMPLATE_DIR)$/;

/**
 * Clone, fetch and push: the user's global configuration and transport variables stay (credentials,
 * ssh), variables locating a repository go, and no hook runs. `gitDir` undefined: clone.
 */
export async function remoteGit(gitDir: string | undefined, args: readonly string[]): Promise<GitResult> {
  const env: Record<string, string | undefined> = { GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never' };
  for (const [name, value] of Object.entries(process.env)) {
    if (!locating.test(name) && !(name in env)) env[name] = value;
  }
  env.LC_ALL = 'C';
  const place = gitDir === undefined ? [] : [`--git-dir=${gitDir}`];
  const config = ['-c', `core.hooksPath=${emptyGitDir()}`, '-c', 'core.fsmonitor=false'];
  return execGit([...place, ...config, ...args], gitDir, env);
}
