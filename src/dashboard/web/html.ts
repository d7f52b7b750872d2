// Safe HTML by construction: `html` escapes every interpolated value unless it is already `Html`
// (the output of another `html` call), so ledger text (commands, messages) can never inject markup.

export interface Html {
  readonly html: string;
}

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeText = (text: string): string => text.replace(/[&<>"']/g, (ch) => escapes[ch] ?? ch);

const isHtml = (value: unknown): value is Html =>
  value !== null && typeof value === 'object' && typeof (value as Html).html === 'string';

function piece(value: unknown): string {
  if (value === undefined || value === null || value === false) return '';
  if (isHtml(value)) return value.html;
  if (Array.isArray(value)) return value.map(piece).join('');
  if (typeof value === 'string') return escapeText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return escapeText(JSON.stringify(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += piece(value) + (strings[i + 1] ?? '');
  });
  return { html: out };
}

export const when = (condition: boolean, content: () => Html): Html => (condition ? content() : html``);

/** `2030-01-02T12:00:03.123Z` → `12:00:03`, or the date too when it is not today. */
export function shortTime(iso: string | null | undefined, now = new Date()): string {
  if (!iso) return '';
  const same = iso.slice(0, 10) === now.toISOString().slice(0, 10);
  return same ? iso.slice(11, 19) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
  return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
}

export const usd = (n: number): string => `$${n < 1 ? n.toFixed(4) : n.toFixed(2)}`;
