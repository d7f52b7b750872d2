// A town with one rig made from a real bare remote, and a `gt` bound to it: what most polecat
// tests start from.
import { runGt, type GtResult } from './cli.js';
import { makeRemote, type GitRemote } from './git-fixtures.js';
import { makeTown } from './town.js';

export interface RigTown {
  root: string;
  scratch: string;
  remote: GitRemote;
  rig: string;
  /** Runs gt in the town; `ok` throws with stderr when the exit code is not 0. */
  gt(...args: string[]): Promise<GtResult>;
  ok(...args: string[]): Promise<string>;
  /** Creates a bead with steps in the rig and returns its id. */
  bead(title: string, steps: string[], ...extra: string[]): Promise<string>;
}

export async function makeRigTown(rig = 'web'): Promise<RigTown> {
  const { root, scratch } = await makeTown();
  const remote = await makeRemote(scratch);
  const gt = (...args: string[]) => runGt(['--town', root, ...args]);
  const ok = async (...args: string[]) => {
    const result = await gt(...args);
    if (result.exitCode !== 0)
      throw new Error(`gt ${args.join(' ')} exited ${result.exitCode}: ${result.stderr}${result.stdout}`);
    return result.stdout;
  };
  await ok('rig', 'add', rig, remote.path, '--branch', 'main');
  const bead = async (title: string, steps: string[], ...extra: string[]) => {
    const out = await ok(
      '--json',
      'bd',
      'create',
      title,
      '--rig',
      rig,
      ...steps.flatMap((s) => ['--step', s]),
      ...extra,
    );
    return (JSON.parse(out) as { id: string }).id;
  };
  return { root, scratch, remote, rig, gt, ok, bead };
}
