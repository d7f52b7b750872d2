// A tiny GitHub REST client: only what merge mode `pr` needs. It opens a pull request, and when
// GitHub answers that one already exists for the branch (a retried merge), finds that one instead.
// Works against github.com and GitHub Enterprise (`api_url`); the token comes from the caller.
import { z } from 'zod';
import { ErrorCode, GasTownError } from '../errors.js';

export interface GitHubClientOptions {
  /** `https://api.github.com`, or `https://<host>/api/v3` for GitHub Enterprise Server. */
  apiUrl: string;
  /** `owner/name` */
  repo: string;
  token: string;
  /** Injectable for tests; the global fetch otherwise. */
  fetch?: typeof fetch;
}

export interface PullRequestInput {
  title: string;
  /** The branch with the changes (in the same repository). */
  head: string;
  /** The branch to merge into. */
  base: string;
  body: string;
}

export interface PullRequest {
  number: number;
  html_url: string;
  /** True when GitHub already had an open pull request for this branch. */
  existed: boolean;
}

const pullSchema = z.object({ number: z.number().int(), html_url: z.string().min(1) });

export const defaultGitHubApiUrl = 'https://api.github.com';

export async function openPullRequest(
  options: GitHubClientOptions,
  input: PullRequestInput,
): Promise<PullRequest> {
  const created = await call(options, 'POST', '/pulls', input);
  if (created.status === 201) return { ...pullSchema.parse(created.body), existed: false };
  if (created.status === 422) {
    const owner = options.repo.split('/')[0] ?? '';
    const query = `?state=open&head=${encodeURIComponent(`${owner}:${input.head}`)}&base=${encodeURIComponent(input.base)}`;
    const found = await call(options, 'GET', `/pulls${query}`);
    const open = found.status === 200 ? z.array(pullSchema).safeParse(found.body) : undefined;
    const first = open?.success ? open.data[0] : undefined;
    if (first) return { ...first, existed: true };
  }
  throw failure(options, created.status, created.body);
}

export interface GitHubResponse {
  status: number;
  body: unknown;
  headers: Headers;
}

/** One REST call on the rig's repository; `extra` adds headers (e.g. `If-None-Match`). */
export async function call(
  options: GitHubClientOptions,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
  extra: Record<string, string> = {},
): Promise<GitHubResponse> {
  const url = `${options.apiUrl.replace(/\/+$/, '')}/repos/${options.repo}${path}`;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      method,
      headers: {
        Accept: 'application/vnd.github+json',
        Authorization: `Bearer ${options.token}`,
        'X-GitHub-Api-Version': '2022-11-28',
        'User-Agent': 'gastown-refinery',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...extra,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new GasTownError(ErrorCode.io, `cannot reach the GitHub API at ${url}: ${String(error)}`, {
      retryable: true,
      cause: error,
    });
  }
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page): keep the text for the message.
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

function failure(options: GitHubClientOptions, status: number, body: unknown): GasTownError {
  const message =
    body !== null && typeof body === 'object' && 'message' in body
      ? String(body.message)
      : JSON.stringify(body);
  return new GasTownError(
    ErrorCode.io,
    `GitHub refused to open a pull request in ${options.repo} (HTTP ${status}): ${message}`,
    { retryable: status >= 500 || status === 429, ids: { repo: options.repo } },
  );
}
