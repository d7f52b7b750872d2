// Context rigs: other rigs of the town that a bead's work needs to read (`context_rigs` on the bead,
// `gt sling --context-rig`). Before a session starts each one is brought to its latest target: the
// rig's `repo.git` is fetched from its remote, the head of its target branch is chosen (the remote's
// in `push` and `pr` mode, the rig's own branch in `local` mode unless the remote is strictly ahead)
// and that commit is checked out once into `<town>/<rig>/context/<sha>`, a snapshot with no `.git`
// that no session writes: the sandbox mounts it read-only beside the polecat's worktree. A fetch that
// fails leaves the last fetched head, and says so (in the prompt and the session's ledger record).
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { checkoutSnapshot, fetchOrigin, isAncestor, resolveCommit } from '../../git/index.js';
import { ErrorCode, GasTownError, invalidInput } from '../../errors.js';
import type { RigRow } from '../../town/index.js';
import { getRig, loadRigConfig, rigPaths } from '../../town/index.js';
import type { TownServices } from '../../town/services.js';

/** A context rig made ready for one session: which commit of which branch, and where on the host. */
export interface PreparedContextRig {
  name: string;
  /** The read-only snapshot on the host (`<town>/<rig>/context/<sha>`). */
  source: string;
  branch: string;
  /** The full sha checked out. */
  head: string;
  /** Set when the snapshot may be stale: why the fetch failed. */
  note?: string;
}

/** Snapshots not used for this long are removed when the rig next makes one. */
const keepUnusedMs = 24 * 60 * 60 * 1000;

/** One fetch at a time per repository in this process (git would refuse a concurrent ref update). */
const fetching = new Map<string, Promise<string | undefined>>();

/** The context rigs named for a bead, each once, without the polecat's own rig; unknown names refused. */
export function contextRigNames(town: TownServices, names: readonly string[], own: string): RigRow[] {
  return [...new Set(names)]
    .filter((name) => name !== own)
    .map((name) => {
      const rig = getRig(town.db, name);
      if (!rig) throw invalidInput(`context rig: no rig named ${name} in this town`, { rig: name });
      return rig;
    });
}

export async function prepareContextRigs(
  town: TownServices,
  root: string,
  names: readonly string[],
  own: string,
): Promise<PreparedContextRig[]> {
  const rigs = contextRigNames(town, names, own);
  const prepared: PreparedContextRig[] = [];
  for (const rig of rigs) prepared.push(await prepareOne(root, rig));
  return prepared;
}

async function prepareOne(root: string, rig: RigRow): Promise<PreparedContextRig> {
  const paths = rigPaths(root, rig.name);
  const config = await loadRigConfig(paths.config);
  const note = await fetchOnce(paths.repo);
  const local = await resolveCommit(paths.repo, `refs/heads/${rig.branch}`);
  const remote = await resolveCommit(paths.repo, `refs/remotes/origin/${rig.branch}`);
  let head: string | undefined;
  if (config.merge_mode === 'local') {
    // The rig's own branch is where its merges land; a remote that moved on past it is newer still.
    head =
      local !== undefined && remote !== undefined && (await isAncestor(paths.repo, local, remote))
        ? remote
        : (local ?? remote);
  } else head = remote ?? local;
  if (head === undefined) {
    throw new GasTownError(
      ErrorCode.notFound,
      `context rig ${rig.name}: its target branch ${rig.branch} has no commit in ${paths.repo}`,
      { ids: { rig: rig.name, branch: rig.branch } },
    );
  }
  const source = await snapshot(paths.repo, join(paths.dir, 'context'), head);
  return { name: rig.name, source, branch: rig.branch, head, ...(note === undefined ? {} : { note }) };
}

/** Fetches the rig's remote; a failure is returned as a note, not thrown (the last fetch stands). */
async function fetchOnce(repo: string): Promise<string | undefined> {
  const running = fetching.get(repo);
  if (running !== undefined) return running;
  const attempt = fetchOrigin(repo).then(
    () => undefined,
    (error: unknown) =>
      `could not fetch it (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); this is the last fetched head`,
  );
  fetching.set(repo, attempt);
  try {
    return await attempt;
  } finally {
    fetching.delete(repo);
  }
}

/** `<dir>/<head>`, checked out once (in a scratch directory, then renamed into place). */
async function snapshot(repo: string, dir: string, head: string): Promise<string> {
  const dest = join(dir, head);
  if (!existsSync(dest)) {
    await mkdir(dir, { recursive: true });
    const scratch = join(dir, `.${head}.${randomBytes(4).toString('hex')}`);
    await mkdir(scratch);
    try {
      await checkoutSnapshot(repo, head, scratch);
      // Another session may have made it meanwhile: theirs is the same commit, keep it.
      if (!existsSync(dest)) await rename(scratch, dest);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
    await removeUnused(dir, head);
  }
  const now = new Date();
  await utimes(dest, now, now);
  return dest;
}

/** Removes snapshots of the rig that no session has used for a day (never the current one). */
async function removeUnused(dir: string, current: string): Promise<void> {
  const cutoff = Date.now() - keepUnusedMs;
  for (const entry of await readdir(dir)) {
    if (entry === current || !/^[0-9a-f]{40,64}$/.test(entry)) continue;
    const path = join(dir, entry);
    const info = await stat(path).catch(() => undefined);
    if (info !== undefined && info.mtimeMs < cutoff) await rm(path, { recursive: true, force: true });
  }
}
