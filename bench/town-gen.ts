// Generates a realistic town's beads in memory: a mix of statuses like a working town (most work
// open or closed, some in progress, blocked, deferred, a few tombstones), epics with dotted
// children, and about three dependencies per bead of mixed types, all pointing to older beads so
// the graph is a DAG.
import type { Bead, Dependency, Status } from '../src/beads/index.js';
import type { Random } from './random.js';
import { seededRandom } from './random.js';

const day = 24 * 60 * 60 * 1000;

const statusMix: readonly (readonly [Status, number])[] = [
  ['open', 40],
  ['in_progress', 10],
  ['closed', 35],
  ['blocked', 5],
  ['deferred', 5],
  ['tombstone', 3],
  ['pinned', 1],
  ['hooked', 1],
];
const priorityMix = [
  [0, 5],
  [1, 20],
  [2, 45],
  [3, 20],
  [4, 10],
] as const;
const typeMix = [
  ['task', 50],
  ['bug', 25],
  ['feature', 20],
  ['chore', 5],
] as const;
const edgeMix = [
  ['blocks', 50],
  ['related', 30],
  ['discovered-from', 20],
] as const;
const labelPool = ['backend', 'frontend', 'infra', 'docs', 'flaky', 'security', 'perf', 'ux'] as const;
const verbs = ['Fix', 'Add', 'Refactor', 'Document', 'Speed up', 'Remove', 'Test'] as const;
const nouns = ['login flow', 'merge queue', 'cache', 'parser', 'CLI help', 'retry loop', 'schema'] as const;
const polecats = ['furiosa', 'nux', 'slit', 'capable', 'toast', 'dag'] as const;

export interface TownOptions {
  prefix: string;
  seed?: number;
  /** The bench's "now": the newest bead is a few minutes old; the oldest half a year. */
  now?: Date;
}

/** `n` beads in creation order (oldest first); every dependency targets an earlier bead. */
export function generateTown(n: number, options: TownOptions): Bead[] {
  const rnd = seededRandom(options.seed ?? 1);
  const now = (options.now ?? new Date()).getTime();
  const start = now - 180 * day;
  const beads: Bead[] = [];
  const epics: { id: string; children: number }[] = [];
  for (let i = 0; i < n; i++) {
    const createdMs = start + Math.floor(((now - start - 600_000) * i) / n);
    const epic = epics.length > 0 && rnd.next() < 0.3 ? rnd.pick(epics.slice(-5)) : undefined;
    const id = epic ? `${epic.id}.${++epic.children}` : hashId(options.prefix, i);
    const bead = makeBead(rnd, id, i, createdMs, now);
    if (!epic && rnd.next() < 0.05) {
      bead.issue_type = 'epic';
      epics.push({ id, children: 0 });
    }
    const targets = new Set<string>();
    if (epic) {
      bead.dependencies.push(edge(id, epic.id, 'parent-child', bead.created_at));
      targets.add(epic.id);
    }
    const wanted = 2 + rnd.int(3) - (epic ? 1 : 0); // 2–4 edges, three on average
    for (let tries = 0; targets.size < wanted + (epic ? 1 : 0) && i > 0 && tries < 8; tries++) {
      // Biased toward recent beads, as real follow-up work is.
      const target = beads[i - 1 - Math.floor(rnd.next() ** 3 * i)]!.id;
      if (targets.has(target)) continue;
      targets.add(target);
      bead.dependencies.push(edge(id, target, rnd.weighted(edgeMix), bead.created_at));
    }
    beads.push(bead);
  }
  return beads;
}

function makeBead(rnd: Random, id: string, i: number, createdMs: number, now: number): Bead {
  const createdAt = new Date(createdMs).toISOString();
  const status = rnd.weighted(statusMix);
  const title = `${rnd.pick(verbs)} ${rnd.pick(nouns)} (#${i})`;
  const bead: Bead = {
    id,
    title,
    description: `${title}. Observed while working on the ${rnd.pick(nouns)}; see the linked beads for context.`,
    status,
    priority: rnd.weighted(priorityMix),
    issue_type: rnd.weighted(typeMix),
    created_at: createdAt,
    created_by: 'mayor',
    updated_at: createdAt,
    labels: labelPool.filter(() => rnd.next() < 0.12),
    dependencies: [],
    comments: [],
    extra: {},
  };
  if (status === 'in_progress' || status === 'hooked')
    bead.assignee = `gastown/polecats/${rnd.pick(polecats)}`;
  if (status === 'closed') {
    bead.closed_at = new Date(Math.min(now, createdMs + rnd.int(10) * day)).toISOString();
    bead.close_reason = 'done';
  }
  if (status === 'tombstone') {
    bead.deleted_at = createdAt;
    bead.deleted_by = 'overseer';
    bead.delete_reason = 'duplicate';
    bead.original_type = bead.issue_type;
  }
  if (status === 'deferred' || (status === 'open' && rnd.next() < 0.02)) {
    bead.defer_until = new Date(now + (1 + rnd.int(30)) * day).toISOString();
  }
  if (rnd.next() < 0.2) {
    bead.comments.push({
      id: 0,
      issue_id: id,
      author: 'mayor',
      text: 'Looked into this.',
      created_at: createdAt,
    });
  }
  return bead;
}

function edge(issueId: string, dependsOnId: string, type: string, createdAt: string): Dependency {
  return { issue_id: issueId, depends_on_id: dependsOnId, type, created_at: createdAt, created_by: 'mayor' };
}

/** Distinct `<prefix>-<base36>` ids: multiplying by an odd constant is a bijection mod 2^32. */
function hashId(prefix: string, i: number): string {
  return `${prefix}-${(Math.imul(i + 1, 0x9e3779b1) >>> 0).toString(36).padStart(7, '0')}`;
}
