// Watches the pull requests a rig's Refinery opened (merge requests in `pr_open`) until each ends,
// one deterministic `tick(now)` at a time: polls GitHub with ETags, backs off on failures (doubling
// up to 10 minutes) and waits out rate limits, then applies what pr-lifecycle.ts decides — merged:
// the bead closes with GitHub's merge commit and the polecat's work is cleaned up; closed: the bead
// is blocked with the reason and an escalation; changes requested: a rework round (up to
// `witness.max_rework`); new commits from reviewers: recorded. `auto_merge` merges it itself.
import { ErrorCode, GasTownError } from '../../errors.js';
import type { GitHubClientOptions } from '../../github/client.js';
import { defaultGitHubApiUrl, githubRepoOf } from '../../github/index.js';
import type { PullReview, PullState } from '../../github/pulls.js';
import { GitHubError, getPull, listReviews, mergePull } from '../../github/pulls.js';
import { loadTownConfig } from '../../town/config.js';
import type { TownServices } from '../../town/services.js';
import type { MergeRequest } from './merge-queue.js';
import type { PrState } from './pr-lifecycle.js';
import { nextPrStep } from './pr-lifecycle.js';
import { finishPrClosed, finishPrMerged, reworkPr } from './pr-outcomes.js';
import type { RefineryContext } from './refinery-context.js';
import { loadRefineryContext } from './refinery-context.js';

export const maxBackoffMs = 10 * 60_000;
/** rig.yaml may have left `pr` mode while a pull request is still open: it is still watched. */
const noGitHub = { poll_seconds: 30, auto_merge: false, require_review: false } as const;

export interface PrWatchOptions {
  town: TownServices;
  root: string;
  rig: string;
  env: Record<string, string | undefined>;
  actor?: string;
  fetch?: typeof fetch;
}

interface Watched {
  dueAt: number;
  failures: number;
  state: PrState;
  head: string;
  pull?: { etag: string | undefined; value: PullState };
  reviews?: { etag: string | undefined; value: PullReview[] };
}

export type PrWatchEvent = { mr: number; outcome: 'merged' | 'closed' | 'rework' | 'escalated' | 'waiting' };

export class PrWatch {
  private readonly watched = new Map<number, Watched>();

  constructor(private readonly opts: PrWatchOptions) {}

  get actor(): string {
    return this.opts.actor ?? `${this.opts.rig}/refinery`;
  }

  /** When the next request is due (for tests and the daemon's log); undefined when none is watched. */
  dueAt(mr: number): number | undefined {
    return this.watched.get(mr)?.dueAt;
  }

  async tick(now = Date.now()): Promise<PrWatchEvent[]> {
    const open = this.opts.town.db
      .prepare<[string], MergeRequest>(
        `SELECT * FROM merge_requests WHERE rig = ? AND state = 'pr_open' ORDER BY id`,
      )
      .all(this.opts.rig);
    for (const id of this.watched.keys()) if (!open.some((mr) => mr.id === id)) this.watched.delete(id);
    if (open.length === 0) return [];
    const ctx = await loadRefineryContext({ ...this.opts, actor: this.actor, checkTimeoutMs: 0 });
    const events: PrWatchEvent[] = [];
    for (const mr of open) {
      const watched = this.watched.get(mr.id) ?? this.start(mr, now);
      if (now < watched.dueAt) continue;
      try {
        events.push({ mr: mr.id, outcome: await this.poll(ctx, mr, watched, now) });
        watched.failures = 0;
        watched.dueAt = now + (ctx.config.github ?? noGitHub).poll_seconds * 1000;
      } catch (error) {
        this.failed(ctx, mr, watched, error, now);
      }
    }
    return events;
  }

  private start(mr: MergeRequest, now: number): Watched {
    const watched: Watched = {
      dueAt: now,
      failures: 0,
      state: 'open',
      head: mr.merged_commit ?? mr.head_commit,
    };
    this.watched.set(mr.id, watched);
    return watched;
  }

  private async poll(
    ctx: RefineryContext,
    mr: MergeRequest,
    w: Watched,
    now: number,
  ): Promise<PrWatchEvent['outcome']> {
    const github = this.client(ctx);
    const number = prNumber(ctx, mr);
    const pull = await getPull(github, number, w.pull?.etag, now);
    if (pull.changed) w.pull = { etag: pull.etag, value: pull.value };
    const reviews = await listReviews(github, number, w.reviews?.etag, now);
    if (reviews.changed) w.reviews = { etag: reviews.etag, value: reviews.value };
    const seen = w.pull!.value;
    const pushed = mr.merged_commit ?? mr.head_commit;
    if (seen.state === 'open' && seen.head.sha !== w.head) {
      ctx.town.ledger.append({
        kind: 'merge.pr_commits',
        actor: ctx.actor,
        bead_id: mr.bead_id,
        payload: { mr: mr.id, number, head: seen.head.sha, previous: w.head },
      });
      w.head = seen.head.sha;
    }
    const step = nextPrStep(w.state, { pull: seen, reviews: w.reviews?.value ?? [], pushed });
    if (step.to !== w.state && (step.to === 'approved' || step.to === 'open'))
      ctx.town.ledger.append({
        kind: 'merge.pr_review',
        actor: ctx.actor,
        bead_id: mr.bead_id,
        payload: {
          mr: mr.id,
          number,
          state: step.to,
          ...(step.to === 'approved' ? { by: step.approvers } : {}),
        },
      });
    switch (step.to) {
      case 'merged':
        await finishPrMerged(ctx, mr, number, step.mergeCommit, 'merged on GitHub');
        return 'merged';
      case 'closed':
        await finishPrClosed(ctx, mr, number, seen.html_url);
        return 'closed';
      case 'changes_requested': {
        const maxRework = (await loadTownConfig(ctx.root)).witness.max_rework;
        return reworkPr(ctx, mr, number, seen.html_url, step.reviews, maxRework);
      }
      case 'open':
      case 'approved': {
        w.state = step.to;
        const gh = ctx.config.github ?? noGitHub;
        const ready = gh.auto_merge && (step.to === 'approved' || !gh.require_review);
        // Only the head the town checked is merged: a reviewer's newer commit waits for people.
        if (!ready || seen.head.sha !== pushed) return 'waiting';
        const sha = await mergePull(github, number, pushed, now);
        await finishPrMerged(ctx, mr, number, sha, 'merged by the town (auto_merge)');
        return 'merged';
      }
    }
  }

  private failed(ctx: RefineryContext, mr: MergeRequest, w: Watched, error: unknown, now: number): void {
    w.failures += 1;
    const wait =
      error instanceof GitHubError && error.retryAfterMs !== undefined
        ? error.retryAfterMs
        : Math.min(maxBackoffMs, (ctx.config.github ?? noGitHub).poll_seconds * 1000 * 2 ** w.failures);
    w.dueAt = now + wait;
    // One ledger line per run of failures, not one per poll.
    if (w.failures === 1)
      ctx.town.ledger.append({
        kind: 'merge.pr_watch_failed',
        actor: ctx.actor,
        bead_id: mr.bead_id,
        payload: {
          mr: mr.id,
          error: error instanceof Error ? error.message : String(error),
          retry_in_seconds: Math.round(wait / 1000),
          retryable: error instanceof GasTownError ? error.retryable : true,
        },
      });
  }

  private client(ctx: RefineryContext): GitHubClientOptions {
    const github = ctx.config.github;
    const repo = github?.repo ?? githubRepoOf(ctx.rig.git_url);
    const token = ctx.env.GITHUB_TOKEN;
    if (repo === undefined || token === undefined || token === '')
      throw new GasTownError(
        ErrorCode.invalidInput,
        `merge_mode pr: watching needs github.repo in ${ctx.paths.config} and a token in GITHUB_TOKEN`,
        { ids: { rig: ctx.rig.name } },
      );
    return {
      apiUrl: github?.api_url ?? defaultGitHubApiUrl,
      repo,
      token,
      ...(this.opts.fetch ? { fetch: this.opts.fetch } : {}),
    };
  }
}

/** The pull request's number: from the ledger's `merge.pr_opened` of this request, else its URL. */
function prNumber(ctx: RefineryContext, mr: MergeRequest): number {
  const row = ctx.town.db
    .prepare<[string, number], { n: number | null }>(
      `SELECT json_extract(payload, '$.number') AS n FROM ledger WHERE kind = 'merge.pr_opened'
        AND bead_id = ? AND json_extract(payload, '$.mr') = ? ORDER BY seq DESC LIMIT 1`,
    )
    .get(mr.bead_id, mr.id);
  const number = row?.n ?? Number(/\/pull\/(\d+)$/.exec(mr.pr_url ?? '')?.[1]);
  if (!Number.isInteger(number) || number <= 0)
    throw new GasTownError(ErrorCode.notFound, `merge request #${mr.id}: no pull request number recorded`);
  return number;
}
