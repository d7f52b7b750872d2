// `gt rig add`: mirrors a repository into the town and registers it as a rig, all or nothing.
// The mirror and rig.yaml are staged under `.gt/tmp/`, renamed into place once git has succeeded,
// then the refinery worktree is added and the row inserted; any failure removes what was made.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../db/open.js';
import { ErrorCode, GasTownError } from '../errors.js';
import { addWorktree, branchExists, cloneBare, headBranch, normalizeGitUrl } from '../git/index.js';
import { rigPaths, townTmpDir } from './paths.js';
import { rigConfigSchema, writeRigConfig } from './rig-config.js';
import { checkPrefix, checkRigName, derivePrefix } from './rig-names.js';
import type { RigJournal } from './rig-store.js';
import { duplicateRig, getRig, insertRig, prefixesInUse } from './rig-store.js';
import type { RigView } from './rig-view.js';
import { toRigView } from './rig-view.js';
import { messageOf, parseWith } from './yaml-file.js';

export interface AddRigInput {
  name: string;
  /** Anything `git clone` takes; a relative local path is resolved against `cwd`. */
  url: string;
  /** Target branch; default: the remote's HEAD branch. */
  branch?: string;
  /** Check command; empty means none. */
  check?: string;
  /** Bead prefix; default: derived from the name. */
  prefix?: string;
  /** rig.yaml `merge_mode`; default `local`. */
  mergeMode?: string;
  /** rig.yaml `github.repo` (`owner/name`), for merge mode `pr`. */
  githubRepo?: string;
  /** rig.yaml `max_polecats`. */
  maxPolecats?: number;
  cwd?: string;
  /** Records the addition in the ledger, in the same transaction as the row. */
  journal?: RigJournal;
}

export async function addRig(root: string, db: Db, input: AddRigInput): Promise<RigView> {
  const { name } = input;
  checkRigName(name);
  const paths = rigPaths(root, name);
  if (getRig(db, name) !== undefined) throw duplicateRig(name);
  if (existsSync(paths.dir)) {
    const message = `${paths.dir} already exists and is not a rig; pick another name or move it`;
    throw new GasTownError(ErrorCode.conflict, message, { ids: { rig: name } });
  }
  const taken = prefixesInUse(db);
  const prefix = input.prefix === undefined ? derivePrefix(name, taken) : checkPrefix(input.prefix, taken);
  const url = normalizeGitUrl(input.url, input.cwd ?? process.cwd());
  const check = input.check?.trim() ? input.check.trim() : null;
  const settings = settingsOf(input, check);
  // Refuse bad settings before cloning anything (the branch is not known yet: any name will do).
  parseWith(rigConfigSchema, { name, git_url: url, branch: 'main', prefix, ...settings }, 'rig settings');

  await mkdir(townTmpDir(root), { recursive: true });
  // mkdtemp's directory is private (0700); the rig directory staged inside it gets normal modes.
  const scratch = await mkdtemp(join(townTmpDir(root), `rig-${name}-`));
  const staging = join(scratch, name);
  let placed = false;
  try {
    await mkdir(staging);
    const stagedRepo = join(staging, 'repo.git');
    await cloneMirror(url, stagedRepo, name);
    const branch = await targetBranch(stagedRepo, url, input.branch);
    const config = parseWith(
      rigConfigSchema,
      { name, git_url: url, branch, prefix, ...settings },
      'rig settings',
    );
    await writeRigConfig(join(staging, 'rig.yaml'), config);
    await placeStaging(staging, paths.dir, name);
    placed = true;
    await addWorktree(paths.repo, paths.refinery, branch);
    const row = {
      name,
      prefix,
      git_url: url,
      branch,
      check_command: check,
      created_at: new Date().toISOString(),
    };
    insertRig(db, row, input.journal);
    return toRigView(root, row, config);
  } catch (error) {
    if (placed) await rm(paths.dir, { recursive: true, force: true });
    throw error;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The optional rig.yaml settings the caller gave, in the file's terms (unset ones left out). */
function settingsOf(input: AddRigInput, check: string | null): Record<string, unknown> {
  return {
    check,
    ...(input.mergeMode === undefined ? {} : { merge_mode: input.mergeMode }),
    ...(input.maxPolecats === undefined ? {} : { max_polecats: input.maxPolecats }),
    ...(input.githubRepo === undefined ? {} : { github: { repo: input.githubRepo } }),
  };
}

async function cloneMirror(url: string, dest: string, rig: string): Promise<void> {
  try {
    await cloneBare(url, dest);
  } catch (error) {
    throw new GasTownError(ErrorCode.git, `cannot clone ${url} for rig "${rig}": ${gitReason(error)}`, {
      ids: { rig, url },
      cause: error,
    });
  }
}

async function targetBranch(repo: string, url: string, wanted: string | undefined): Promise<string> {
  const branch = wanted ?? (await headBranch(repo));
  if (branch === undefined) {
    throw new GasTownError(
      ErrorCode.invalidInput,
      `cannot tell the default branch of ${url}; pass --branch`,
      {
        ids: { url },
      },
    );
  }
  if (!(await branchExists(repo, branch))) {
    const hint =
      wanted === undefined ? ' (the remote HEAD names it, but it has no commits); pass --branch' : '';
    throw new GasTownError(ErrorCode.notFound, `branch "${branch}" not found in ${url}${hint}`, {
      ids: { branch, url },
    });
  }
  return branch;
}

async function placeStaging(staging: string, dir: string, rig: string): Promise<void> {
  try {
    await rename(staging, dir);
  } catch (error) {
    throw new GasTownError(ErrorCode.conflict, `cannot move rig "${rig}" into ${dir}: ${messageOf(error)}`, {
      ids: { rig },
      cause: error,
    });
  }
}

function gitReason(error: unknown): string {
  return messageOf(error).replace(/^git clone failed: /, '');
}
