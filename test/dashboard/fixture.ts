// A town opened in-process with the dashboard app over it, and helpers to call the API with (or
// without) the token and to read server-sent events from a response body.
import { afterEach } from 'vitest';
import type { Hono } from 'hono';
import { createApp, ensureToken } from '../../src/dashboard/index.js';
import type { DashboardDeps } from '../../src/dashboard/index.js';
import type { TownServices } from '../../src/town/services.js';
import { openTownServices } from '../../src/town/services.js';
import { removeTempDirs } from '../support/temp.js';
import { makeTown } from '../support/town.js';

export interface DashboardTown {
  root: string;
  town: TownServices;
  token: string;
  app: Hono;
  /** Calls the API with the token. */
  api(path: string, init?: RequestInit): Promise<Response>;
  json<T>(path: string, init?: RequestInit): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

const opened: (() => void)[] = [];
afterEach(async () => {
  for (const close of opened.splice(0)) close();
  await removeTempDirs();
});

export async function makeDashboardTown(deps: Partial<DashboardDeps> = {}): Promise<DashboardTown> {
  const { root } = await makeTown('dashtown');
  const town = openTownServices(root, { env: {} });
  const token = ensureToken(town.paths.gtDir);
  const made = createApp({ town, name: 'dashtown', token, pollMs: 20, ...deps });
  opened.push(() => {
    made.close();
    town.close();
  });
  const api = (path: string, init: RequestInit = {}) =>
    Promise.resolve(
      made.app.request(path, {
        ...init,
        headers: {
          authorization: `Bearer ${token}`,
          ...(init.headers as Record<string, string> | undefined),
        },
      }),
    );
  return {
    root,
    town,
    token,
    app: made.app,
    api,
    json: async <T>(path: string, init?: RequestInit) => {
      const res = await api(path, init);
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    post: async <T>(path: string, body?: unknown) => {
      const res = await api(path, {
        method: 'POST',
        ...(body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
      return { status: res.status, body: (await res.json()) as T };
    },
  };
}

export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

/** Reads messages from an event-stream body until `enough` says stop, then cancels the stream. */
export async function readSse(
  res: Response,
  enough: (messages: SseMessage[]) => boolean,
): Promise<SseMessage[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const messages: SseMessage[] = [];
  let buffer = '';
  while (!enough(messages)) {
    const { value, done } = (await reader.read()) as { value?: Uint8Array; done: boolean };
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const message: SseMessage = { data: '' };
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) message.id = line.slice(4);
        else if (line.startsWith('event: ')) message.event = line.slice(7);
        else if (line.startsWith('data: ')) message.data += line.slice(6);
      }
      if (message.data !== '' || message.event !== undefined) messages.push(message);
    }
  }
  await reader.cancel();
  return messages;
}

export const ledgerMessages = (messages: SseMessage[]) => messages.filter((m) => m.event === 'ledger');
