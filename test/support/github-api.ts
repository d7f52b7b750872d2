// A real HTTP server on 127.0.0.1 that speaks the part of the GitHub REST API merge mode `pr` uses:
// `POST /repos/{owner}/{repo}/pulls` (201 with the pull request; 422 when one is already open for
// the branch) and `GET /repos/{owner}/{repo}/pulls?head=owner:branch&state=open`. It checks the
// bearer token like GitHub does (401 otherwise) and remembers every request for assertions.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  accept: string | undefined;
  body: unknown;
}

export interface FakePull {
  number: number;
  html_url: string;
  state: 'open';
  title: string;
  body: string;
  head: { ref: string; label: string };
  base: { ref: string };
}

export interface GitHubApi {
  /** The API base URL, as in rig.yaml `github.api_url`. */
  url: string;
  requests: RecordedRequest[];
  pulls: FakePull[];
  close(): Promise<void>;
}

export async function startGitHubApi(token: string, prefix = '/api/v3'): Promise<GitHubApi> {
  const requests: RecordedRequest[] = [];
  const pulls: FakePull[] = [];
  const server = createServer((req, res) => {
    void handle(req, res);
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body: unknown = text === '' ? null : JSON.parse(text);
    requests.push({
      method: req.method ?? '',
      path: url.pathname + url.search,
      authorization: req.headers.authorization,
      accept: req.headers.accept,
      body,
    });
    const send = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(value));
    };
    if (req.headers.authorization !== `Bearer ${token}`) {
      return send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    }
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
      title: input.title,
      body: input.body ?? '',
      head: { ref: input.head, label },
      base: { ref: input.base },
    };
    pulls.push(pull);
    return send(201, { id: 1000 + number, url: `${prefix}/repos/${owner}/${repo}/pulls/${number}`, ...pull });
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    requests,
    pulls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
