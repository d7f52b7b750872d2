// What one Refinery tick works with: the rig (row and rig.yaml, read fresh each tick so a changed
// merge mode or check applies to the next request), where its repository and worktrees are, and
// the identity it commits rebases under. Also the small writes every outcome shares.
import type { CommitIdentity, WorkTree } from '../../git/index.js';
import { requireWorkTree } from '../../git/index.js';
import { notFound } from '../../errors.js';
import type { RigConfig, RigPaths, RigRow } from '../../town/index.js';
import { getRig, loadRigConfig, rigPaths } from '../../town/index.js';
import type { TownServices } from '../../town/services.js';
import { movePolecat } from '../polecat/index.js';

export interface RefineryContext {
  town: TownServices;
  root: string;
  rig: RigRow;
  config: RigConfig;
  paths: RigPaths;
  actor: string;
  /** Where GITHUB_TOKEN is read from (merge mode `pr`). */
  env: Record<string, string | undefined>;
  checkTimeoutMs: number;
  committer: CommitIdentity;
}

export interface RefineryContextOptions {
  town: TownServices;
  root: string;
  rig: string;
  actor: string;
  env: Record<string, string | undefined>;
  checkTimeoutMs: number;
}

export async function loadRefineryContext(options: RefineryContextOptions): Promise<RefineryContext> {
  const rig = getRig(options.town.db, options.rig);
  if (!rig) throw notFound('rig', options.rig);
  const paths = rigPaths(options.root, rig.name);
  return {
    ...options,
    rig,
    config: await loadRigConfig(paths.config),
    paths,
    committer: refineryIdentity(rig.name),
  };
}

export function refineryIdentity(rig: string): CommitIdentity {
  return { name: `${rig}/refinery`, email: `refinery@${rig}.gastown.invalid` };
}

/** The refinery's work tree with its admin directory, from the repository's own records. */
export function refineryTree(ctx: RefineryContext): Promise<WorkTree> {
  return requireWorkTree(ctx.paths.repo, ctx.paths.refinery);
}

/** Moves the polecat that worked on `beadId`, only if it still does; true when it moved. */
export function setPolecatFor(
  ctx: RefineryContext,
  polecat: string,
  beadId: string,
  state: 'idle' | 'stopped',
  recordedBy: string,
): boolean {
  return movePolecat(
    ctx.town.db,
    { rig: ctx.rig.name, name: polecat },
    { to: state },
    { beadId, from: state === 'idle' ? ['working', 'review', 'stopped'] : ['working', 'review'], recordedBy },
  );
}

/** The last `lines` lines of some output, trimmed. */
export function tail(text: string, lines = 40): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}
