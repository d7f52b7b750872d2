// The page's side of the API: the token (taken from `#token=…` once, then kept in sessionStorage
// for this tab only), JSON calls with the Authorization header, and the live event stream read with
// fetch — EventSource cannot send headers — resuming from the last seq after any disconnect.
import type { StreamedEvent } from '../events.js';
import { win } from './dom.js';

const storageKey = 'gastown.dashboard.token';

export class Unauthorized extends Error {}

/**
 * Moves a token from the URL fragment to sessionStorage and out of the address bar. A route before
 * it stays (`#/trace/<bead>&token=…` opens that trace); otherwise the page opens on the town.
 */
export function takeToken(): string | undefined {
  const match = /(?:^#|&)token=([^&]+)/.exec(win.location.hash);
  if (match?.[1]) {
    win.sessionStorage.setItem(storageKey, decodeURIComponent(match[1]));
    const route = win.location.hash
      .replace(/^#/, '')
      .split('&')
      .filter((part) => !part.startsWith('token='))
      .join('&');
    win.history.replaceState(
      null,
      '',
      `${win.location.pathname}${win.location.search}#${route.startsWith('/') ? route : '/town'}`,
    );
  }
  return win.sessionStorage.getItem(storageKey) ?? undefined;
}

export function forgetToken(): void {
  win.sessionStorage.removeItem(storageKey);
}

export class Api {
  constructor(private readonly token: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`/api${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (res.status === 401) throw new Unauthorized('the token was refused');
    const data = (await res.json()) as T & { error?: string };
    if (!res.ok) throw new Error(data.error ?? `${method} ${path}: ${res.status}`);
    return data;
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  async text(path: string): Promise<string> {
    const res = await fetch(`/api${path}`, { headers: { authorization: `Bearer ${this.token}` } });
    return res.text();
  }

  /** Streams ledger events after `after` forever, reconnecting with the last seq it saw. */
  async stream(
    after: number,
    onEvent: (event: StreamedEvent) => void,
    onLive: (live: boolean) => void,
  ): Promise<void> {
    let last = after;
    for (;;) {
      try {
        const res = await fetch('/api/events', {
          headers: { authorization: `Bearer ${this.token}`, 'last-event-id': String(last) },
        });
        if (res.status === 401) throw new Unauthorized('the token was refused');
        if (!res.ok || res.body === null) throw new Error(`event stream: ${res.status}`);
        onLive(true);
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = (await reader.read()) as { value?: Uint8Array; done: boolean };
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block
              .split('\n')
              .filter((line) => line.startsWith('data: '))
              .map((line) => line.slice(6))
              .join('\n');
            if (!block.includes('event: ledger') || data === '') continue;
            const event = JSON.parse(data) as StreamedEvent;
            last = event.seq;
            onEvent(event);
          }
        }
      } catch (error) {
        if (error instanceof Unauthorized) throw error;
      }
      onLive(false);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
