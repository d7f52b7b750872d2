// The HTTP edge of the model clients: one POST with a streaming answer, errors that name the
// endpoint and the status (never the key), and a retry loop with exponential backoff and jitter for
// 429, 5xx and network failures that honours `retry-after` and stops when the signal aborts.
import { ErrorCode, GasTownError } from '../../errors.js';

export interface RetryOptions {
  /** Attempts in all, the first included (default 5). */
  maxAttempts?: number;
  /** The first backoff; each retry doubles it, plus up to 50% jitter (default 1000 ms). */
  baseDelayMs?: number;
  /** The longest backoff (default 30 s). */
  maxDelayMs?: number;
  /** The longest wait a `retry-after` header may ask for (default 120 s). */
  maxRetryAfterMs?: number;
}

/** A failed model call; `retryable` says whether another attempt may help. */
export class ModelApiError extends GasTownError {
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    options: { status?: number; retryable: boolean; retryAfterMs?: number; cause?: unknown },
  ) {
    super(ErrorCode.io, message, { retryable: options.retryable, cause: options.cause });
    this.name = 'ModelApiError';
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export interface EndpointKey {
  /** The variable the key comes from, named in errors. */
  env: string;
  value?: string;
}

/** Hides the key wherever a server or a library echoes it back. */
export function redact(text: string, key: EndpointKey): string {
  return key.value && key.value.length >= 4 ? text.split(key.value).join('[redacted]') : text;
}

/** Where a request really goes when a session's egress gate stands in for the endpoint. */
export interface Via {
  /** `http://127.0.0.1:<port>`: the gate's relay; the endpoint's path is kept. */
  origin: string;
  /** The gate's placeholder key, sent instead of the real one (which only the gate holds). */
  key: string;
}

/** `url` with its origin swapped for the gate's; messages keep naming `url`. */
export function through(url: string, via: Via | undefined): string {
  if (via === undefined) return url;
  const parsed = new URL(url);
  return `${via.origin}${parsed.pathname}${parsed.search}`;
}

export async function post(
  url: string,
  headers: Record<string, string>,
  body: unknown,
  key: EndpointKey,
  signal?: AbortSignal,
  via?: Via,
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(through(url, via), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ModelApiError(`could not reach ${url}: ${redact(causeOf(error), key)}`, {
      retryable: true,
      cause: error,
    });
  }
  if (response.ok) return response;
  const said = redact(await errorText(response), key);
  const status = response.status;
  // Anthropic's `x-should-retry` overrides the status when the server sends it.
  const should = response.headers.get('x-should-retry');
  const retryable =
    should === 'true' ||
    (should !== 'false' && (status === 408 || status === 409 || status === 429 || status >= 500));
  const retryAfterMs = retryAfter(response.headers);
  throw new ModelApiError(statusMessage(url, status, said, key), {
    status,
    retryable,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

function statusMessage(url: string, status: number, said: string, key: EndpointKey): string {
  const detail = said ? `: ${said}` : '';
  if (status === 401 || status === 403) {
    return key.value
      ? `the key in $${key.env} was refused by ${url} (${status}${detail})`
      : `${url} answered ${status} and $${key.env} is not set (${status}${detail})`;
  }
  if (status === 404) return `${url} answered 404${detail} (check base_url and the model name)`;
  if (status === 429) return `${url} is rate limiting requests (429${detail})`;
  return `${url} answered ${status}${detail}`;
}

/** The server's own words, from the `error.message` both providers use, else the body's start. */
async function errorText(response: Response): Promise<string> {
  const text = (await response.text().catch(() => '')).trim();
  try {
    const parsed: unknown = JSON.parse(text);
    const error =
      typeof parsed === 'object' && parsed !== null ? (parsed as { error?: unknown }).error : undefined;
    if (typeof error === 'string') return error;
    const message =
      typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
    if (typeof message === 'string') return message;
  } catch {
    // Not JSON: the text itself says it.
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? `${code} (${cause.message})` : cause.message;
  }
  return error.message;
}

/** `retry-after` (seconds or an HTTP date) or `retry-after-ms`, in milliseconds. */
export function retryAfter(headers: Headers): number | undefined {
  const ms = Number(headers.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * Runs one model call, turning what breaks inside its stream (a dropped connection, a garbled
 * frame) into a retryable ModelApiError that names the endpoint; an abort passes through as is.
 */
export async function guarded<T>(
  endpoint: string,
  key: EndpointKey,
  signal: AbortSignal | undefined,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (signal?.aborted || error instanceof ModelApiError) throw error;
    throw new ModelApiError(`${endpoint}: the answer broke off (${redact(causeOf(error), key)})`, {
      retryable: true,
      cause: error,
    });
  }
}

/** Runs `attempt` until it succeeds, fails for good, runs out of attempts or the signal aborts. */
export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  options: RetryOptions,
  signal?: AbortSignal,
): Promise<T> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const base = options.baseDelayMs ?? 1000;
  const maxDelay = options.maxDelayMs ?? 30_000;
  for (let n = 1; ; n += 1) {
    try {
      return await attempt(n);
    } catch (error) {
      if (signal?.aborted || !(error instanceof ModelApiError) || !error.retryable) throw error;
      if (n >= maxAttempts) {
        throw new ModelApiError(`gave up after ${n} attempts: ${error.message}`, {
          retryable: false,
          ...(error.status === undefined ? {} : { status: error.status }),
          cause: error,
        });
      }
      const backoff = Math.min(maxDelay, base * 2 ** (n - 1)) * (1 + Math.random() / 2);
      const asked = error.retryAfterMs;
      const wait = asked === undefined ? backoff : Math.min(asked, options.maxRetryAfterMs ?? 120_000);
      await sleep(wait, signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error(String(signal?.reason)));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
