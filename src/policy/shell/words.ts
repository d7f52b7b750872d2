// Reads one shell word: quotes, escapes, `$VAR`, `${…}`, `$(…)`, backticks, `<(…)`, `~` and globs.
// Nested command lists are parsed through the callbacks, so this file needs no parser import.
import type { ListNode, WordNode } from './ast.js';
import type { Cursor } from './cursor.js';
import { ShellSyntaxError, at, expect, isWordEnd, peek } from './cursor.js';
import type { Segment, SegmentKind } from './types.js';

export interface WordParsers {
  /** Parses a command list up to (not past) the `)` that closes it. */
  nested: (cur: Cursor) => ListNode;
  /** Parses a whole script (a backtick body) one level deeper. */
  script: (src: string, depth: number) => ListNode;
}

class WordBuilder {
  readonly segments: Segment[] = [];
  readonly subs: ListNode[] = [];

  add(kind: SegmentKind, text: string): void {
    const last = this.segments.at(-1);
    if (last && last.kind === kind && (kind === 'lit' || kind === 'glob')) last.text += text;
    else this.segments.push({ kind, text });
  }

  sub(raw: string, list?: ListNode): void {
    this.add('sub', raw);
    if (list) this.subs.push(list);
  }

  /** Tilde expansion applies at the start of a word and right after an unquoted `=` or `:`. */
  tildeAllowed(): boolean {
    const last = this.segments.at(-1);
    return last === undefined || (last.kind === 'lit' && /[=:]$/.test(last.text));
  }
}

export function readWord(cur: Cursor, parsers: WordParsers): WordNode | undefined {
  const start = cur.pos;
  const b = new WordBuilder();
  for (;;) {
    const c = peek(cur);
    if ((c === '<' || c === '>') && peek(cur, 1) === '(' && cur.pos === start) {
      readNested(cur, b, parsers, 2);
      continue;
    }
    if (isWordEnd(c)) break;
    if (c === '\\') {
      const next = peek(cur, 1);
      if (next !== '\n') b.add('lit', next === '' ? '\\' : next);
      cur.pos += next === '' ? 1 : 2;
    } else if (c === "'") readSingle(cur, b);
    else if (c === '"') readDouble(cur, b, parsers);
    else if (c === '$') readDollar(cur, b, parsers, false);
    else if (c === '`') readBacktick(cur, b, parsers);
    else if (c === '~' && b.tildeAllowed()) readTilde(cur, b);
    else if (c === '*' || c === '?' || c === '[' || (c === '{' && isBraceExpansion(cur))) {
      b.add('glob', c);
      cur.pos++;
    } else {
      b.add('lit', c);
      cur.pos++;
    }
  }
  if (cur.pos === start) return undefined;
  return { raw: cur.src.slice(start, cur.pos), segments: b.segments, subs: b.subs };
}

/** The `$(…)` and backtick lists inside an unquoted here-document body. */
export function readHeredocSubs(body: string, depth: number, parsers: WordParsers): ListNode[] {
  const cur: Cursor = { src: body, pos: 0, depth, open: 0, heredocs: [] };
  const b = new WordBuilder();
  while (cur.pos < body.length) {
    const c = peek(cur);
    if (c === '\\') cur.pos += 2;
    else if (c === '$') readDollar(cur, b, parsers, true);
    else if (c === '`') readBacktick(cur, b, parsers);
    else cur.pos++;
  }
  return b.subs;
}

function readSingle(cur: Cursor, b: WordBuilder): void {
  const end = cur.src.indexOf("'", cur.pos + 1);
  if (end === -1) throw new ShellSyntaxError('unterminated single quote');
  b.add('lit', cur.src.slice(cur.pos + 1, end));
  cur.pos = end + 1;
}

function readDouble(cur: Cursor, b: WordBuilder, parsers: WordParsers): void {
  cur.pos++;
  for (;;) {
    const c = peek(cur);
    if (c === '') throw new ShellSyntaxError('unterminated double quote');
    if (c === '"') {
      cur.pos++;
      return;
    }
    if (c === '\\') {
      const next = peek(cur, 1);
      if ('$`"\\'.includes(next) && next !== '') b.add('lit', next);
      else if (next !== '\n') b.add('lit', `\\${next}`);
      cur.pos += 2;
    } else if (c === '$') readDollar(cur, b, parsers, true);
    else if (c === '`') readBacktick(cur, b, parsers);
    else {
      b.add('lit', c);
      cur.pos++;
    }
  }
}

function readDollar(cur: Cursor, b: WordBuilder, parsers: WordParsers, quoted: boolean): void {
  const next = peek(cur, 1);
  const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(cur.src.slice(cur.pos + 1));
  if (at(cur, '$((')) readArithmetic(cur, b);
  else if (next === '(') readNested(cur, b, parsers, 2);
  else if (next === '{') readBraceParameter(cur, b);
  else if (next === "'" && !quoted) readAnsiC(cur, b);
  else if (next === '"' && !quoted) {
    cur.pos++;
    readDouble(cur, b, parsers);
  } else if (name) {
    b.add('var', name[0]);
    cur.pos += 1 + name[0].length;
  } else if (/^[0-9@*#?$!-]$/.test(next)) {
    b.add('var', next);
    cur.pos += 2;
  } else {
    b.add('lit', '$');
    cur.pos++;
  }
}

/** `$(…)`, `<(…)` and `>(…)`: the list inside runs; its output is only known when it does. */
function readNested(cur: Cursor, b: WordBuilder, parsers: WordParsers, open: number): void {
  const start = cur.pos;
  cur.pos += open;
  const list = parsers.nested(cur);
  expect(cur, ')');
  b.sub(cur.src.slice(start, cur.pos), list);
}

function readBacktick(cur: Cursor, b: WordBuilder, parsers: WordParsers): void {
  const start = cur.pos;
  let inner = '';
  cur.pos++;
  for (;;) {
    const c = peek(cur);
    if (c === '') throw new ShellSyntaxError('unterminated backquote');
    cur.pos++;
    if (c === '`') break;
    const next = peek(cur);
    if (c === '\\' && '`$\\'.includes(next) && next !== '') {
      inner += next;
      cur.pos++;
    } else inner += c;
  }
  b.sub(cur.src.slice(start, cur.pos), parsers.script(inner, cur.depth + 1));
}

function readArithmetic(cur: Cursor, b: WordBuilder): void {
  const start = cur.pos;
  cur.pos += 3;
  let depth = 0;
  for (;;) {
    const c = peek(cur);
    if (c === '') throw new ShellSyntaxError('unterminated $((');
    cur.pos++;
    if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if (c === ')' && peek(cur) === ')') break;
  }
  cur.pos++;
  const raw = cur.src.slice(start, cur.pos);
  if (raw.slice(3).includes('$(') || raw.includes('`'))
    throw new ShellSyntaxError('command substitution inside $((…)) is not analysed');
  b.sub(raw);
}

function readBraceParameter(cur: Cursor, b: WordBuilder): void {
  const start = cur.pos;
  let depth = 0;
  for (cur.pos += 2; ; cur.pos++) {
    const c = peek(cur);
    if (c === '') throw new ShellSyntaxError('unterminated ${');
    if (c === '{') depth++;
    else if (c === '}' && depth-- === 0) break;
  }
  cur.pos++;
  const raw = cur.src.slice(start, cur.pos);
  const inside = raw.slice(2, -1);
  if (inside.includes('$(') || inside.includes('`'))
    throw new ShellSyntaxError('command substitution inside ${…} is not analysed');
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(inside)) b.add('var', inside);
  else b.sub(raw);
}

const ansiEscapes: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  v: '\v',
};

function readAnsiC(cur: Cursor, b: WordBuilder): void {
  cur.pos += 2;
  let text = '';
  for (;;) {
    const c = peek(cur);
    if (c === '') throw new ShellSyntaxError("unterminated $'");
    cur.pos++;
    if (c === "'") break;
    if (c !== '\\') {
      text += c;
      continue;
    }
    const rest = cur.src.slice(cur.pos);
    const hex = /^x([0-9a-fA-F]{1,2})/.exec(rest) ?? /^([0-7]{1,3})/.exec(rest);
    if (hex) {
      text += String.fromCharCode(parseInt(hex[1] ?? '0', hex[0].startsWith('x') ? 16 : 8));
      cur.pos += hex[0].length;
    } else {
      const e = peek(cur);
      text += ansiEscapes[e] ?? e;
      cur.pos++;
    }
  }
  b.add('lit', text);
}

function readTilde(cur: Cursor, b: WordBuilder): void {
  const user = /^~[A-Za-z0-9._-]*/.exec(cur.src.slice(cur.pos))?.[0] ?? '~';
  const after = peek(cur, user.length);
  if (after === '/' || isWordEnd(after)) b.add('tilde', user);
  else b.add('lit', user);
  cur.pos += user.length;
}

/** `{a,b}` and `{1..3}` expand; a lone `{` or `{}` is literal. */
function isBraceExpansion(cur: Cursor): boolean {
  const rest = /^\{[^\s;&|()<>'"`}]*\}/.exec(cur.src.slice(cur.pos));
  return rest !== null && (rest[0].includes(',') || rest[0].includes('..'));
}
