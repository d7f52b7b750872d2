// The life of a pull request the Refinery opened, as the town sees it: one owner, one transition
// table. Pure: given what GitHub says (the pull and its reviews) and the state we were in, it
// decides the next state; the watcher (pr-watch.ts) does the I/O and the writes.
//   open ⇄ approved → merged | closed | changes_requested (→ a rework round: a new request later)
import { invalidInput } from '../../errors.js';
import type { PullReview, PullState } from '../../github/pulls.js';

export const prStates = ['open', 'approved', 'changes_requested', 'merged', 'closed'] as const;
export type PrState = (typeof prStates)[number];

/** Where each state may go; `merged`, `closed` and `changes_requested` end this merge request. */
export const prTransitions: Readonly<Record<PrState, readonly PrState[]>> = {
  open: ['open', 'approved', 'changes_requested', 'merged', 'closed'],
  approved: ['approved', 'open', 'changes_requested', 'merged', 'closed'],
  changes_requested: [],
  merged: [],
  closed: [],
};

export type PrStep =
  | { to: 'open' }
  | { to: 'approved'; approvers: string[] }
  | { to: 'changes_requested'; reviews: PullReview[] }
  | { to: 'merged'; mergeCommit: string }
  | { to: 'closed' };

export interface PrObservation {
  pull: PullState;
  reviews: readonly PullReview[];
  /** The head the town pushed and checked; reviews on older heads are history. */
  pushed: string;
}

export function nextPrStep(from: PrState, seen: PrObservation): PrStep {
  const step = decide(seen);
  if (!prTransitions[from].includes(step.to))
    throw invalidInput(`pull request #${seen.pull.number}: no transition from ${from} to ${step.to}`);
  return step;
}

function decide({ pull, reviews, pushed }: PrObservation): PrStep {
  // Only `merged: true` proves a merge (an open pull's merge_commit_sha is GitHub's test merge).
  if (pull.merged === true && pull.merge_commit_sha)
    return { to: 'merged', mergeCommit: pull.merge_commit_sha };
  if (pull.state === 'closed') return { to: 'closed' };
  const latest = latestByReviewer(reviews.filter((r) => !r.commit_id || r.commit_id === pushed));
  const changes = latest.filter((r) => r.state === 'CHANGES_REQUESTED');
  if (changes.length > 0) return { to: 'changes_requested', reviews: changes };
  const approvers = latest.filter((r) => r.state === 'APPROVED').map((r) => r.user?.login ?? '?');
  return approvers.length > 0 ? { to: 'approved', approvers } : { to: 'open' };
}

/** Each reviewer's last word (comments do not replace an approval or a request for changes). */
function latestByReviewer(reviews: readonly PullReview[]): PullReview[] {
  const last = new Map<string, PullReview>();
  for (const review of [...reviews].sort((a, b) => a.id - b.id)) {
    if (review.state === 'COMMENTED' || review.state === 'PENDING') continue;
    last.set(review.user?.login ?? `#${review.id}`, review);
  }
  return [...last.values()].filter((r) => r.state !== 'DISMISSED');
}

/** What the polecat is told for a rework round: each reviewer's request, as written. */
export function reviewComment(number: number, url: string, reviews: readonly PullReview[]): string {
  return [
    `Refinery: changes were requested on pull request #${number} (${url}):`,
    ...reviews.map(
      (r) => `\n${r.user?.login ?? 'a reviewer'} wrote:\n${(r.body ?? '').trim() || '(no text)'}`,
    ),
    '',
    'Address the review on the same branch and mark the bead done again; the pull request is updated.',
  ].join('\n');
}
