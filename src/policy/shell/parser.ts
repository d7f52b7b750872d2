// A small recursive-descent parser for the shell grammar agents use: lists (`;` `&&` `||` `&`,
// newlines), pipelines, subshells, `{ …; }` groups, functions, here-documents, `if`/`while`/`for`
// keywords, `case … esac` and `[[ … ]]`. Anything it cannot follow raises `ShellSyntaxError`.
import type { CommandNode, ListNode, PipelineNode, RedirectNode, WordNode } from './ast.js';
import type { Cursor } from './cursor.js';
import {
  ShellSyntaxError,
  at,
  atEnd,
  atKeyword,
  expect,
  maxDepth,
  maxOpen,
  peek,
  skipBlanks,
  skipComment,
} from './cursor.js';
import type { WordParsers } from './words.js';
import { readWord } from './words.js';
import { newline, parseRedirects, readRedirect, skipSeparators } from './redirects.js';

/** What ends a nested list: `)`, `}`, or a `case` arm's `;;` / `;&` / `;;&` / `esac`. */
type Close = ')' | '}' | 'arm' | undefined;

export function parseShell(src: string, depth = 0): ListNode {
  if (depth > maxDepth) throw new ShellSyntaxError('commands nested too deeply');
  const cur: Cursor = { src, pos: 0, depth, open: 0, heredocs: [] };
  const list = parseList(cur, undefined);
  if (!atEnd(cur)) throw new ShellSyntaxError(`unexpected '${peek(cur)}' at offset ${cur.pos}`);
  return list;
}

const parsers: WordParsers = { nested: (cur) => parseList(cur, ')'), script: parseShell };

function parseList(cur: Cursor, close: Close): ListNode {
  if (close !== undefined && ++cur.open > maxOpen) throw new ShellSyntaxError('commands nested too deeply');
  try {
    return parseItems(cur, close);
  } finally {
    if (close !== undefined) cur.open--;
  }
}

function parseItems(cur: Cursor, close: Close): ListNode {
  const items: PipelineNode[] = [];
  const closed = () =>
    (close === ')' && peek(cur) === ')') ||
    (close === '}' && atKeyword(cur, '}')) ||
    (close === 'arm' && (at(cur, ';;') || at(cur, ';&') || atKeyword(cur, 'esac')));
  for (;;) {
    skipSeparators(cur, parsers);
    if (atEnd(cur)) {
      if (close) throw new ShellSyntaxError(`missing '${close === 'arm' ? 'esac' : close}'`);
      return { items };
    }
    if (closed()) return { items };
    items.push(parsePipeline(cur));
    skipBlanks(cur);
    if (closed()) return { items };
    if (at(cur, ';;') || at(cur, ';&'))
      throw new ShellSyntaxError(`unexpected '${peek(cur, 1)}' at offset ${cur.pos}`);
    if (at(cur, '&&') || at(cur, '||')) {
      cur.pos += 2;
      skipSeparators(cur, parsers);
      if (atEnd(cur) || closed()) throw new ShellSyntaxError('a command must follow && or ||');
    } else if (peek(cur) === ';' || peek(cur) === '&') cur.pos++;
    else if (peek(cur) === '\n') newline(cur, parsers);
    else if (!atEnd(cur) && !closed())
      throw new ShellSyntaxError(`unexpected '${peek(cur)}' at offset ${cur.pos}`);
  }
}

function parsePipeline(cur: Cursor): PipelineNode {
  const stages = [parseCommand(cur)];
  for (;;) {
    skipBlanks(cur);
    if (peek(cur) !== '|' || peek(cur, 1) === '|') return { stages };
    cur.pos += peek(cur, 1) === '&' ? 2 : 1;
    skipSeparators(cur, parsers);
    stages.push(parseCommand(cur));
  }
}

const prefixKeywords = new Set(['!', 'if', 'then', 'elif', 'else', 'do', 'while', 'until']);
const closingKeywords = new Set(['fi', 'done', 'esac']);

function parseCommand(cur: Cursor): CommandNode {
  skipBlanks(cur);
  if (at(cur, '((')) {
    skipArithmetic(cur);
    return { type: 'noop', words: [], redirects: parseRedirects(cur, parsers) };
  }
  if (peek(cur) === '(') {
    cur.pos++;
    const body = parseList(cur, ')');
    expect(cur, ')');
    return { type: 'subshell', body, redirects: parseRedirects(cur, parsers) };
  }
  const keyword = /^(?:[a-z]+|\{|!|\[\[)(?=[\s;&|()<>]|$)/.exec(cur.src.slice(cur.pos))?.[0];
  if (keyword === '{') {
    cur.pos++;
    const body = parseList(cur, '}');
    expect(cur, '}');
    return { type: 'group', body, redirects: parseRedirects(cur, parsers) };
  }
  if (keyword !== undefined && prefixKeywords.has(keyword)) {
    cur.pos += keyword.length;
    skipBlanks(cur);
    return atCommandEnd(cur) ? { type: 'noop', words: [], redirects: [] } : parseCommand(cur);
  }
  if (keyword !== undefined && closingKeywords.has(keyword)) {
    cur.pos += keyword.length;
    return { type: 'noop', words: [], redirects: parseRedirects(cur, parsers) };
  }
  if (keyword === 'case') return parseCase(cur);
  if (keyword === 'for' || keyword === 'select') return parseFor(cur, keyword.length);
  if (keyword === 'function') return parseFunctionKeyword(cur);
  if (keyword === '[[') return parseTest(cur);
  return parseSimple(cur);
}

function parseSimple(cur: Cursor): CommandNode {
  const assigns: WordNode[] = [];
  const words: WordNode[] = [];
  const redirects: RedirectNode[] = [];
  for (;;) {
    skipBlanks(cur);
    const c = peek(cur);
    if (atCommandEnd(cur)) break;
    if (c === '#') {
      skipComment(cur);
      break;
    }
    const processSubstitution = (c === '<' || c === '>') && peek(cur, 1) === '(';
    const redirect = processSubstitution ? undefined : readRedirect(cur, parsers);
    if (redirect) {
      redirects.push(redirect);
      continue;
    }
    if (c === '(') {
      const name = words[0];
      if (words.length === 1 && assigns.length === 0 && name && /^\(\s*\)/.test(cur.src.slice(cur.pos)))
        return parseFunctionBody(cur, name.raw);
      const last = assigns.at(-1);
      if (words.length === 0 && last?.raw.endsWith('=')) {
        readArrayValue(cur, last);
        continue;
      }
      throw new ShellSyntaxError(`unexpected '(' at offset ${cur.pos}`);
    }
    const word = readWord(cur, parsers);
    if (!word) throw new ShellSyntaxError(`unexpected '${c}' at offset ${cur.pos}`);
    if (words.length === 0 && isAssignment(word)) assigns.push(word);
    else words.push(word);
  }
  return { type: 'simple', assigns, words, redirects };
}

function atCommandEnd(cur: Cursor): boolean {
  const c = peek(cur);
  return c === '' || c === '\n' || c === ';' || c === ')' || c === '|' || (c === '&' && peek(cur, 1) !== '>');
}

function isAssignment(word: WordNode): boolean {
  const first = word.segments[0];
  return first?.kind === 'lit' && /^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(first.text);
}

/** `name=(a b $(c))`: the elements are only known when it runs. */
function readArrayValue(cur: Cursor, assign: WordNode): void {
  const start = cur.pos;
  cur.pos++;
  for (;;) {
    skipSeparators(cur, parsers);
    if (peek(cur) === ')') break;
    const word = readWord(cur, parsers);
    if (!word) throw new ShellSyntaxError(`unexpected '${peek(cur)}' in an array at offset ${cur.pos}`);
    assign.subs.push(...word.subs);
  }
  cur.pos++;
  assign.segments.push({ kind: 'sub', text: cur.src.slice(start, cur.pos) });
}

function parseFunctionBody(cur: Cursor, name: string): CommandNode {
  expect(cur, '(');
  skipBlanks(cur);
  expect(cur, ')');
  skipSeparators(cur, parsers);
  return { type: 'function', name, body: parseCommand(cur) };
}

function parseFunctionKeyword(cur: Cursor): CommandNode {
  cur.pos += 'function'.length;
  skipBlanks(cur);
  const name = readWord(cur, parsers);
  if (!name) throw new ShellSyntaxError('a name must follow `function`');
  skipBlanks(cur);
  if (peek(cur) === '(') return parseFunctionBody(cur, name.raw);
  skipSeparators(cur, parsers);
  return { type: 'function', name: name.raw, body: parseCommand(cur) };
}

function parseFor(cur: Cursor, length: number): CommandNode {
  cur.pos += length;
  skipBlanks(cur);
  if (at(cur, '((')) {
    skipArithmetic(cur);
    return { type: 'noop', words: [], redirects: [] };
  }
  const binds = readWord(cur, parsers)?.raw;
  const words: WordNode[] = [];
  for (;;) {
    skipBlanks(cur);
    if (atCommandEnd(cur)) break;
    const word = readWord(cur, parsers);
    if (!word) throw new ShellSyntaxError(`unexpected '${peek(cur)}' at offset ${cur.pos}`);
    words.push(word);
  }
  return binds === undefined
    ? { type: 'noop', words, redirects: [] }
    : { type: 'noop', words, redirects: [], binds };
}

/** `case WORD in [(]PATTERN[|PATTERN]…) LIST ;; … esac`; arms may end in `;;`, `;&` or `;;&`. */
function parseCase(cur: Cursor): CommandNode {
  cur.pos += 'case'.length;
  skipBlanks(cur);
  const subject = readWord(cur, parsers);
  if (!subject) throw new ShellSyntaxError('a word must follow `case`');
  skipSeparators(cur, parsers);
  if (!atKeyword(cur, 'in')) throw new ShellSyntaxError(`expected 'in' at offset ${cur.pos}`);
  cur.pos += 2;
  const words: WordNode[] = [subject];
  const arms: ListNode[] = [];
  for (;;) {
    skipSeparators(cur, parsers);
    if (atKeyword(cur, 'esac')) break;
    if (atEnd(cur)) throw new ShellSyntaxError("missing 'esac'");
    if (peek(cur) === '(') cur.pos++;
    for (;;) {
      skipBlanks(cur);
      const pattern = readWord(cur, parsers);
      if (!pattern) throw new ShellSyntaxError(`expected a case pattern at offset ${cur.pos}`);
      words.push(pattern);
      skipBlanks(cur);
      if (peek(cur) !== '|') break;
      cur.pos++;
    }
    expect(cur, ')');
    arms.push(parseList(cur, 'arm'));
    const end = /^(?:;;&|;;|;&)/.exec(cur.src.slice(cur.pos))?.[0];
    if (end) cur.pos += end.length;
  }
  cur.pos += 'esac'.length;
  return { type: 'case', words, arms, redirects: parseRedirects(cur, parsers) };
}

/** `[[ … ]]`: `&&`, `<`, `(` are operators of the test, not of the shell. */
function parseTest(cur: Cursor): CommandNode {
  cur.pos += 2;
  const words: WordNode[] = [{ raw: '[[', segments: [{ kind: 'lit', text: '[[' }], subs: [] }];
  for (;;) {
    skipBlanks(cur);
    if (atKeyword(cur, ']]')) {
      cur.pos += 2;
      words.push({ raw: ']]', segments: [{ kind: 'lit', text: ']]' }], subs: [] });
      break;
    }
    if (atEnd(cur) || peek(cur) === '\n') throw new ShellSyntaxError("missing ']]'");
    const operator = /^(?:&&|\|\||[<>()!])/.exec(cur.src.slice(cur.pos))?.[0];
    const word = operator ? undefined : readWord(cur, parsers);
    if (operator) cur.pos += operator.length;
    const text = operator ?? '';
    words.push(word ?? { raw: text, segments: [{ kind: 'lit', text }], subs: [] });
  }
  return { type: 'simple', assigns: [], words, redirects: parseRedirects(cur, parsers) };
}

function skipArithmetic(cur: Cursor): void {
  const end = cur.src.indexOf('))', cur.pos + 2);
  if (end === -1) throw new ShellSyntaxError('unterminated ((');
  const body = cur.src.slice(cur.pos, end);
  if (body.includes('$(') || body.includes('`'))
    throw new ShellSyntaxError('command substitution inside ((…)) is not analysed');
  cur.pos = end + 2;
}
