// The small part of the browser the page uses, typed here: the project's TypeScript has no DOM
// library (adding it would change globals like setTimeout for the Node code), so the page reaches
// the DOM through these few declared shapes instead.

export interface El {
  innerHTML: string;
  outerHTML: string;
  isConnected: boolean;
  textContent: string | null;
  hidden: boolean;
  className: string;
  value: string;
  dataset: Record<string, string | undefined>;
  classList: { toggle(name: string, on?: boolean): boolean };
  closest(selector: string): El | null;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El>;
  insertAdjacentHTML(position: 'afterbegin' | 'beforeend', html: string): void;
  remove(): void;
  focus(): void;
  getBoundingClientRect(): { top: number; bottom: number };
  addEventListener(type: string, listener: (event: DomEvent) => void): void;
}

export interface DomEvent {
  target: unknown;
  key?: string;
  preventDefault(): void;
}

interface Doc {
  title: string;
  body: El;
  getElementById(id: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El>;
  addEventListener(type: string, listener: (event: DomEvent) => void): void;
}

interface Win {
  document: Doc;
  location: { hash: string; pathname: string; search: string };
  history: { replaceState(data: unknown, unused: string, url: string): void };
  sessionStorage: {
    getItem(key: string): string | null;
    setItem(key: string, value: string): void;
    removeItem(key: string): void;
  };
  addEventListener(type: string, listener: () => void): void;
  innerHeight: number;
  /** Missing in some browsers (Safari): callers fall back to a timer. */
  requestIdleCallback?: (callback: () => void, options?: { timeout: number }) => number;
  IntersectionObserver: new (
    callback: (entries: readonly { isIntersecting: boolean }[]) => void,
    options?: { rootMargin?: string },
  ) => Observer;
}

export interface Observer {
  observe(target: El): void;
  disconnect(): void;
}

export const win = globalThis as unknown as Win;
export const doc = win.document;

export function byId(id: string): El {
  const el = doc.getElementById(id);
  if (el === null) throw new Error(`the page has no #${id}`);
  return el;
}

/** The element an event came from, when it is one. */
export function elementOf(target: unknown): El | undefined {
  return target !== null && typeof target === 'object' && typeof (target as El).closest === 'function'
    ? (target as El)
    : undefined;
}
