// What the Refinery tests share: a rig town (real bare remote, real `gt sling` through the binary),
// the town's services opened in-process, and helpers to sling a bead, queue its branch and read
// the results back (beads, polecats, trailers on a branch, ledger kinds).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { Bead } from '../../src/beads/index.js';
import { queryEvents } from '../../src/ledger/index.js';
import type { PolecatRow } from '../../src/roles/polecat/index.js';
import { listPolecats } from '../../src/roles/polecat/index.js';
import type { MergeRequest, RefineryOptions } from '../../src/roles/refinery/refinery.js';
import { Refinery, enqueueMergeRequest, getMergeRequest } from '../../src/roles/refinery/refinery.js';
import type { TownServices } from '../../src/town/services.js';
import { openTownServices } from '../../src/town/services.js';
import { gitIn } from '../support/git-fixtures.js';
import { makeRigTown, type RigTown } from '../support/rig-town.js';

export interface Slung {
  bead: string;
  rig: string;
  polecat: string;
  branch: string;
  head: string;
  worktree: string;
}

export interface RefineryTown extends RigTown {
  services: TownServices;
  repo(rig?: string): string;
  refinery(options?: Partial<RefineryOptions>): Refinery;
  /** Creates a bead with steps in `rig`, slings it (it must succeed) and returns where its work is. */
  sling(title: string, steps: string[], rig?: string): Promise<Slung>;
  enqueue(slung: Slung): MergeRequest;
  mr(id: number): MergeRequest;
  beadOf(id: string): Promise<Bead>;
  polecat(name: string, rig?: string): PolecatRow | undefined;
  /** How many commits on `ref` carry `Gas-Town-Bead: <bead>`. */
  trailers(ref: string, bead: string, rig?: string): Promise<number>;
  kinds(bead: string): string[];
  setRigYaml(patch: Record<string, unknown>, rig?: string): Promise<void>;
  close(): void;
}

export async function makeRefineryTown(): Promise<RefineryTown> {
  const town = await makeRigTown();
  const services = openTownServices(town.root, { env: process.env });
  const repo = (rig = town.rig) => join(town.root, rig, 'repo.git');
  return {
    ...town,
    services,
    repo,
    refinery: (options = {}) =>
      new Refinery({ town: services, root: town.root, rig: town.rig, env: {}, ...options }),
    async sling(title, steps, rig = town.rig) {
      const bead = await town.bead(title, steps, '--rig', rig);
      const result = JSON.parse(await town.ok('--json', 'sling', bead, rig)) as {
        polecat: string;
        branch: string;
        worktree: string;
        commit: string;
      };
      return {
        bead,
        rig,
        polecat: result.polecat,
        branch: result.branch,
        head: result.commit,
        worktree: result.worktree,
      };
    },
    enqueue: (slung) =>
      enqueueMergeRequest(
        services,
        {
          rig: slung.rig,
          beadId: slung.bead,
          polecat: slung.polecat,
          branch: slung.branch,
          headCommit: slung.head,
        },
        `${slung.rig}/witness`,
      ),
    mr: (id) => getMergeRequest(services.db, id)!,
    beadOf: (id) => services.beads.require(id),
    polecat: (name, rig = town.rig) => listPolecats(services.db, rig).find((p) => p.name === name),
    async trailers(ref, bead, rig = town.rig) {
      const log = await gitIn(repo(rig), 'log', ref, '--format=%B');
      return log.split('\n').filter((line) => line === `Gas-Town-Bead: ${bead}`).length;
    },
    kinds: (bead) =>
      queryEvents(services.db, { beadId: bead })
        .map((e) => e.kind)
        .filter((k) => k.startsWith('merge.')),
    async setRigYaml(patch, rig = town.rig) {
      const file = join(town.root, rig, 'rig.yaml');
      const current = parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      await writeFile(file, stringify({ ...current, ...patch }));
    },
    close: () => services.close(),
  };
}

/** Makes a `merging` request look abandoned by a dead Refinery (its lease long expired). */
export function abandon(town: RefineryTown, id: number, fields: Partial<MergeRequest> = {}): void {
  town.services.db
    .prepare(
      `UPDATE merge_requests SET state = 'merging', updated_at = '2000-01-01T00:00:00.000Z',
         merged_commit = coalesce(?, merged_commit), pr_url = ? WHERE id = ?`,
    )
    .run(fields.merged_commit ?? null, fields.pr_url ?? null, id);
}
