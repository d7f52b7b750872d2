// The parser's position in the source, and the small moves every reader shares.
import type { RedirectNode } from './ast.js';

export class ShellSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShellSyntaxError';
  }
}

export interface PendingHeredoc {
  delimiter: string;
  stripTabs: boolean;
  expand: boolean;
  target: RedirectNode;
}

export interface Cursor {
  readonly src: string;
  pos: number;
  readonly depth: number;
  /** How many `(`, `$(`, `{` are open right now. */
  open: number;
  heredocs: PendingHeredoc[];
}

/** How deeply `sh -c` scripts and backticks may nest before we give up (and ask). */
export const maxDepth = 12;
/** How many groups, subshells and `$(…)` may be open at once within one script. */
export const maxOpen = 64;

export function peek(cur: Cursor, offset = 0): string {
  return cur.src[cur.pos + offset] ?? '';
}

export function at(cur: Cursor, text: string): boolean {
  return cur.src.startsWith(text, cur.pos);
}

export function atEnd(cur: Cursor): boolean {
  return cur.pos >= cur.src.length;
}

/** Spaces, tabs and backslash-newline continuations. */
export function skipBlanks(cur: Cursor): void {
  for (;;) {
    const c = peek(cur);
    if (c === ' ' || c === '\t' || c === '\r') cur.pos++;
    else if (at(cur, '\\\n')) cur.pos += 2;
    else return;
  }
}

export function skipComment(cur: Cursor): void {
  const end = cur.src.indexOf('\n', cur.pos);
  cur.pos = end === -1 ? cur.src.length : end;
}

export function expect(cur: Cursor, text: string): void {
  if (!at(cur, text))
    throw new ShellSyntaxError(
      atEnd(cur) ? `missing '${text}' at the end` : `expected '${text}' at offset ${cur.pos}`,
    );
  cur.pos += text.length;
}

const wordEnds = ' \t\r\n;&|()<>';

/** True when a reserved word such as `}` or `then` starts here and ends at a word boundary. */
export function atKeyword(cur: Cursor, word: string): boolean {
  if (!at(cur, word)) return false;
  const next = cur.src[cur.pos + word.length];
  return next === undefined || wordEnds.includes(next);
}

export function isWordEnd(c: string): boolean {
  return c === '' || wordEnds.includes(c);
}
