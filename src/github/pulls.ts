// Watching a pull request through GitHub's REST API: its state (with ETags, so an unchanged pull
// costs a 304 that GitHub does not count against the rate limit), its reviews, and the merge
// endpoint for `auto_merge`. Errors classify themselves: a rate limit says when to come back
// (`retryAfterMs`), 5xx and network errors are retryable, 403/404/422 are not.
import { z } from 'zod';
import { ErrorCode, GasTownError } from '../errors.js';
import type { GitHubClientOptions, GitHubResponse } from './client.js';
import { call } from './client.js';

const pullSchema = z.object({
  number: z.number().int(),
  state: z.enum(['open', 'closed']),
  merged: z.boolean().nullish(),
  merge_commit_sha: z.string().nullish(),
  html_url: z.string(),
  head: z.object({ sha: z.string(), ref: z.string() }),
});
export type PullState = z.output<typeof pullSchema>;

const reviewSchema = z.object({
  id: z.number().int(),
  user: z.object({ login: z.string() }).nullish(),
  state: z.string(),
  body: z.string().nullish(),
  submitted_at: z.string().nullish(),
  commit_id: z.string().nullish(),
});
export type PullReview = z.output<typeof reviewSchema>;

/** A rate limit or a transient failure: try again, no sooner than `retryAfterMs` when given. */
export class GitHubError extends GasTownError {
  constructor(
    message: string,
    readonly status: number,
    retryable: boolean,
    readonly retryAfterMs: number | undefined,
    repo: string,
  ) {
    super(status === 404 ? ErrorCode.notFound : ErrorCode.io, message, { retryable, ids: { repo } });
  }
}

export type Polled<T> = { changed: false } | { changed: true; value: T; etag: string | undefined };

/** The pull request, or `changed: false` when GitHub answers 304 to the `etag` we saw last. */
export async function getPull(
  options: GitHubClientOptions,
  number: number,
  etag?: string,
  now = Date.now(),
): Promise<Polled<PullState>> {
  const res = await call(options, 'GET', `/pulls/${number}`, undefined, etagHeader(etag));
  if (res.status === 304) return { changed: false };
  if (res.status !== 200) throw failure(options, res, `read pull request #${number}`, now);
  return { changed: true, value: pullSchema.parse(res.body), etag: res.headers.get('etag') ?? undefined };
}

export async function listReviews(
  options: GitHubClientOptions,
  number: number,
  etag?: string,
  now = Date.now(),
): Promise<Polled<PullReview[]>> {
  const res = await call(
    options,
    'GET',
    `/pulls/${number}/reviews?per_page=100`,
    undefined,
    etagHeader(etag),
  );
  if (res.status === 304) return { changed: false };
  if (res.status !== 200) throw failure(options, res, `read the reviews of #${number}`, now);
  return {
    changed: true,
    value: z.array(reviewSchema).parse(res.body),
    etag: res.headers.get('etag') ?? undefined,
  };
}

/** Merges the pull request at `sha` (GitHub refuses if the head moved); the merge commit's sha. */
export async function mergePull(
  options: GitHubClientOptions,
  number: number,
  sha: string,
  now = Date.now(),
): Promise<string> {
  const res = await call(options, 'PUT', `/pulls/${number}/merge`, { sha, merge_method: 'merge' });
  const merged = z.object({ merged: z.boolean(), sha: z.string() }).safeParse(res.body);
  if (res.status === 200 && merged.success && merged.data.merged) return merged.data.sha;
  throw failure(options, res, `merge pull request #${number}`, now);
}

function etagHeader(etag: string | undefined): Record<string, string> {
  return etag === undefined ? {} : { 'If-None-Match': etag };
}

function failure(options: GitHubClientOptions, res: GitHubResponse, what: string, now: number): GitHubError {
  const message =
    res.body !== null && typeof res.body === 'object' && 'message' in res.body
      ? String(res.body.message)
      : JSON.stringify(res.body);
  const retryAfter = rateLimitWait(res, now);
  const limited = retryAfter !== undefined;
  const retryable = limited || res.status >= 500;
  return new GitHubError(
    `GitHub: cannot ${what} in ${options.repo} (HTTP ${res.status}${limited ? ', rate limited' : ''}): ${message}`,
    res.status,
    retryable,
    retryAfter,
    options.repo,
  );
}

/** How long a rate limit asks us to wait: `retry-after` seconds, else until `x-ratelimit-reset`. */
function rateLimitWait(res: GitHubResponse, now: number): number | undefined {
  if (res.status !== 403 && res.status !== 429) return undefined;
  const after = Number(res.headers.get('retry-after'));
  if (res.headers.get('retry-after') !== null && Number.isFinite(after)) return Math.max(0, after) * 1000;
  if (res.headers.get('x-ratelimit-remaining') !== '0') return res.status === 429 ? 60_000 : undefined;
  const reset = Number(res.headers.get('x-ratelimit-reset'));
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - now) : 60_000;
}
