// A real HTTP server on 127.0.0.1 that speaks the part of the GitHub REST API merge mode `pr` uses:
// `POST /repos/{owner}/{repo}/pulls` (201 with the pull request; 422 when one is already open for
// the branch), `GET /repos/{owner}/{repo}/pulls?head=owner:branch&state=open`, and for watching
// `GET …/pulls/{n}` and `GET …/pulls/{n}/reviews` (with ETags: a matching If-None-Match gets 304)
// and `PUT …/pulls/{n}/merge` (405 when not mergeable, 409 when the head moved). It checks the
// bearer token like GitHub does (401 otherwise), remembers every request, and lets a test play the
// people on the other side (merge, close, review, push) or make the next answers fail (`failNext`:
// 403/404/422, rate limits with their headers). Given `headOf` (a branch's commit in the real
// remote), a pull request's head follows its branch as on GitHub: set when it opens, re-read on
// every read while it is open (a change is a new ETag).
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  accept: string | undefined;
  ifNoneMatch: string | undefined;
  status: number;
  body: unknown;
}

export interface FakeReview {
  id: number;
  user: { login: string };
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED';
  body: string;
  commit_id: string;
  submitted_at: string;
}

export interface FakeFailure {
  /** Only a request with this method takes the failure (default: the next request of any). */
  method?: string;
  status: number;
  headers?: Record<string, string>;
  message?: string;
}

export interface FakePull {
  number: number;
  html_url: string;
  state: 'open' | 'closed';
  merged: boolean;
  merge_commit_sha: string | null;
  title: string;
  body: string;
  head: { ref: string; label: string; sha: string };
  base: { ref: string };
  reviews: FakeReview[];
  /** Bumped on every change, so ETags change with the pull request. */
  version: number;
}

export interface GitHubApi {
  /** The API base URL, as in rig.yaml `github.api_url`. */
  url: string;
  requests: RecordedRequest[];
  pulls: FakePull[];
  /** The people on GitHub: each bumps the pull's version (a new ETag). */
  merge(number: number, commit: string): void;
  closePull(number: number): void;
  review(number: number, login: string, state: FakeReview['state'], body: string, commitId?: string): void;
  push(number: number, sha: string): void;
  setHead(number: number, sha: string): void;
  /** The next answers (any route) are these failures, in order. */
  failNext(...failures: FakeFailure[]): void;
  close(): Promise<void>;
}

export interface GitHubApiOptions {
  /** The commit a branch points at in the repository behind the server (undefined: unknown). */
  headOf?: (branch: string) => Promise<string | undefined>;
}

export async function startGitHubApi(
  token: string,
  prefix = '/api/v3',
  options: GitHubApiOptions = {},
): Promise<GitHubApi> {
  const requests: RecordedRequest[] = [];
  const pulls: FakePull[] = [];
  const failures: FakeFailure[] = [];
  let reviewIds = 100;
  const server = createServer((req, res) => {
    void handle(req, res);
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body: unknown = text === '' ? null : JSON.parse(text);
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname + url.search,
      authorization: req.headers.authorization,
      accept: req.headers.accept,
      ifNoneMatch: req.headers['if-none-match'],
      status: 0,
      body,
    };
    requests.push(recorded);
    const send = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      recorded.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(status === 304 ? undefined : JSON.stringify(value));
    };
    const at = failures.findIndex((f) => f.method === undefined || f.method === recorded.method);
    const failure = at < 0 ? undefined : failures.splice(at, 1)[0];
    if (failure) return send(failure.status, { message: failure.message ?? 'failure' }, failure.headers);
    if (req.headers.authorization !== `Bearer ${token}`) {
      return send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    }
    const one = /^\/repos\/[^/]+\/[^/]+\/pulls\/(\d+)(\/reviews|\/merge)?$/.exec(
      url.pathname.slice(prefix.length),
    );
    if (url.pathname.startsWith(prefix) && one)
      return await onePull(Number(one[1]), one[2] ?? '', recorded, send);
    const match = /^\/repos\/([^/]+)\/([^/]+)\/pulls$/.exec(url.pathname.slice(prefix.length));
    if (!url.pathname.startsWith(prefix) || !match) return send(404, { message: 'Not Found' });
    const [, owner, repo] = match;
    if (req.method === 'GET') {
      const head = url.searchParams.get('head');
      return send(
        200,
        pulls.filter((p) => head === null || p.head.label === head),
      );
    }
    if (req.method !== 'POST') return send(405, { message: 'Method Not Allowed' });
    const input = body as { title?: string; head?: string; base?: string; body?: string } | null;
    if (!input?.title || !input.head || !input.base) {
      return send(422, {
        message: 'Validation Failed',
        errors: [{ resource: 'PullRequest', code: 'missing_field' }],
      });
    }
    const label = `${owner}:${input.head}`;
    if (pulls.some((p) => p.head.label === label)) {
      return send(422, {
        message: 'Validation Failed',
        errors: [
          { resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${label}.` },
        ],
      });
    }
    const number = pulls.length + 1;
    const pull: FakePull = {
      number,
      html_url: `https://github.example/${owner}/${repo}/pull/${number}`,
      state: 'open',
      merged: false,
      merge_commit_sha: null,
      title: input.title,
      body: input.body ?? '',
      head: { ref: input.head, label, sha: (await options.headOf?.(input.head)) ?? '' },
      base: { ref: input.base },
      reviews: [],
      version: 1,
    };
    pulls.push(pull);
    return send(201, { id: 1000 + number, url: `${prefix}/repos/${owner}/${repo}/pulls/${number}`, ...pull });
  };
  type Send = (status: number, value: unknown, headers?: Record<string, string>) => void;
  const onePull = async (number: number, sub: string, recorded: RecordedRequest, send: Send) => {
    const pull = pulls.find((p) => p.number === number);
    if (!pull) return send(404, { message: 'Not Found' });
    const head = pull.state === 'open' ? await options.headOf?.(pull.head.ref) : undefined;
    if (head !== undefined && head !== pull.head.sha) change(pull, () => (pull.head.sha = head));
    if (sub === '/merge') {
      if (recorded.method !== 'PUT') return send(405, { message: 'Method Not Allowed' });
      if (pull.state !== 'open') return send(405, { message: 'Pull Request is not mergeable' });
      const sha = (recorded.body as { sha?: string } | null)?.sha;
      if (sha !== undefined && sha !== pull.head.sha)
        return send(409, { message: 'Head branch was modified. Review and try the merge again.' });
      const commit = `${'m'.repeat(8)}${String(number).padStart(32, '0')}`.slice(0, 40);
      change(pull, () => Object.assign(pull, { state: 'closed', merged: true, merge_commit_sha: commit }));
      return send(200, { sha: commit, merged: true, message: 'Pull Request successfully merged' });
    }
    if (recorded.method !== 'GET') return send(405, { message: 'Method Not Allowed' });
    const etag = `W/"${sub === '/reviews' ? 'r' : 'p'}${pull.number}-${pull.version}"`;
    if (recorded.ifNoneMatch === etag) return send(304, null, { etag });
    const { reviews, version: _version, ...shown } = pull;
    return send(200, sub === '/reviews' ? reviews : shown, { etag });
  };
  const change = (pull: FakePull, edit: () => void) => {
    edit();
    pull.version += 1;
  };
  const pullOf = (number: number) => {
    const pull = pulls.find((p) => p.number === number);
    if (!pull) throw new Error(`no pull request #${number}`);
    return pull;
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    requests,
    pulls,
    merge: (number, commit) => {
      const pull = pullOf(number);
      change(pull, () => Object.assign(pull, { state: 'closed', merged: true, merge_commit_sha: commit }));
    },
    closePull: (number) => {
      const pull = pullOf(number);
      change(pull, () => Object.assign(pull, { state: 'closed' }));
    },
    review: (number, login, state, body, commitId) => {
      const pull = pullOf(number);
      change(pull, () =>
        pull.reviews.push({
          id: ++reviewIds,
          user: { login },
          state,
          body,
          commit_id: commitId ?? pull.head.sha,
          submitted_at: new Date().toISOString(),
        }),
      );
    },
    push: (number, sha) => {
      const pull = pullOf(number);
      change(pull, () => (pull.head.sha = sha));
    },
    setHead: (number, sha) => {
      pullOf(number).head.sha = sha;
    },
    failNext: (...more) => {
      failures.push(...more);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
