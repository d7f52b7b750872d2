// A landed bead closes in the same transaction that records its merge. Otherwise there is a moment,
// as long as the polecat's worktree takes to remove, where the bead is closed while its merge
// request is still `merging` or `pr_open`: the daemon's convoy loop lands the convoy then, and the
// Mayor's report (run beside it) says "closed, pull request … not seen merged" about a merge the
// town did see — what the end-to-end story (test/story/) caught. Watched here from a second
// connection, as another process sees the town, at every ledger event the merge appends.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/db/open.js';
import { PrWatch } from '../../src/roles/refinery/pr-watch.js';
import { startGitHubApi, type GitHubApi } from '../support/github-api.js';
import { removeTempDirs } from '../support/temp.js';
import { makeRefineryTown, type RefineryTown } from './refinery-fixture.js';

let town: RefineryTown | undefined;
let api: GitHubApi | undefined;
let reader: Db | undefined;
afterEach(async () => {
  reader?.close();
  town?.close();
  await api?.close();
  town = reader = api = undefined;
  await removeTempDirs();
});

/** What another connection sees, committed, each time the town appends an event for `bead`. */
function watchCommitted(t: RefineryTown, bead: string): string[] {
  reader = openDb(join(t.root, '.gt', 'town.db'), { readonly: true });
  const seen: string[] = [];
  const status = reader.prepare<[string], string>('SELECT status FROM beads WHERE id = ?').pluck();
  const request = reader
    .prepare<[string], string>('SELECT state FROM merge_requests WHERE bead_id = ? ORDER BY id DESC LIMIT 1')
    .pluck();
  t.services.ledger.subscribe((event) => {
    if (event.bead_id === bead) seen.push(`${String(status.get(bead))}/${String(request.get(bead))}`);
  });
  return seen;
}

const inBetween = (seen: string[]) => seen.filter((s) => s.startsWith('closed/') && !s.endsWith('/merged'));

describe('a landed bead and its merge request end together', () => {
  it('in merge mode local: never closed while its request is still merging', async () => {
    town = await makeRefineryTown();
    const slung = await town.sling('Add a greeting', ['echo hello > greeting.txt']);
    const mr = town.enqueue(slung);
    const seen = watchCommitted(town, slung.bead);
    expect(await town.refinery().tick()).toBe('merged');
    expect(town.mr(mr.id).state).toBe('merged');
    expect((await town.beadOf(slung.bead)).status).toBe('closed');
    expect(seen.length).toBeGreaterThan(1);
    expect(inBetween(seen)).toEqual([]);
  });

  it('in merge mode pr: never closed while its pull request is still pr_open', async () => {
    town = await makeRefineryTown();
    api = await startGitHubApi('atomic-token');
    const env = { GITHUB_TOKEN: 'atomic-token' };
    await town.setRigYaml({ merge_mode: 'pr', github: { api_url: api.url, repo: 'acme/web' } });
    const slung = await town.sling('Add a greeting', ['echo hello > greeting.txt']);
    const mr = town.enqueue(slung);
    expect(await town.refinery({ env }).tick()).toBe('pr_open');
    api.setHead(1, town.mr(mr.id).merged_commit!);
    const seen = watchCommitted(town, slung.bead);
    api.merge(1, 'f'.repeat(40));
    const watch = new PrWatch({ town: town.services, root: town.root, rig: town.rig, env });
    expect(await watch.tick()).toEqual([{ mr: mr.id, outcome: 'merged' }]);
    expect(town.mr(mr.id).state).toBe('merged');
    expect((await town.beadOf(slung.bead)).status).toBe('closed');
    expect(seen.length).toBeGreaterThan(1);
    expect(inBetween(seen)).toEqual([]);
  });
});
