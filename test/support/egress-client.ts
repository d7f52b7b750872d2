// Talking to an egress gate's unix socket from a test, as the sandbox's bridge would pass it on: a
// plain request (model route, session routes, absolute-URI forwarding) or a CONNECT tunnel.
import { request } from 'node:http';
import type { OutgoingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';

export interface GateAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The reply ended before its end (the gate cut it). */
  aborted: boolean;
}

export function gateRequest(
  socket: string,
  method: string,
  path: string,
  headers: OutgoingHttpHeaders = {},
  body?: string,
): Promise<GateAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      let aborted = false;
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('aborted', () => (aborted = true));
      res.on('error', () => (aborted = true));
      res.on('close', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          aborted: aborted || !res.complete,
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Opens a CONNECT tunnel; the status, and the socket when the gate said 200. */
export function gateConnect(
  socket: string,
  authority: string,
): Promise<{ status: number; body: string; tunnel?: Socket }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, method: 'CONNECT', path: authority });
    req.on('connect', (res, tunnel, head: Buffer) => {
      if (res.statusCode === 200) return resolve({ status: 200, body: '', tunnel });
      const chunks: Buffer[] = [head];
      tunnel.on('data', (chunk: Buffer) => chunks.push(chunk));
      tunnel.on('close', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** `GET /` over an open tunnel; the whole reply as text. */
export function getOverTunnel(tunnel: Socket, host: string): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    tunnel.on('data', (chunk: Buffer) => chunks.push(chunk));
    tunnel.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    tunnel.write(`GET / HTTP/1.1\r\nhost: ${host}\r\nconnection: close\r\n\r\n`);
  });
}
