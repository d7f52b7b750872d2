// The one way a thin client inside an agent's session (the `gt hook` command, the `bd`/`gt` shims)
// talks to the session process: a JSON POST over loopback with the session's bearer token, bounded
// in time. Callers treat every failure as a refusal (the hook fails closed).
import { request } from 'node:http';

/**
 * `base` (the session's address, which may carry a path: `http://127.0.0.1:8377/__gastown`) with
 * `path` appended; throws for a base that is not a URL.
 */
export function sessionUrl(base: string, path: string): URL {
  return new URL(`${base.replace(/\/+$/, '')}${path}`);
}

export interface SessionAnswer {
  status: number;
  text: string;
}

export function postToSession(
  url: URL,
  token: string,
  body: string,
  timeoutMs: number,
): Promise<SessionAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${token}`,
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from the session within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
