// Redirections (`>`, `2>&1`, `<<EOF`…), and the newlines between commands, where the bodies of
// pending here-documents are read.
import type { RedirectNode } from './ast.js';
import type { Cursor } from './cursor.js';
import { ShellSyntaxError, atEnd, peek, skipBlanks, skipComment } from './cursor.js';
import type { WordParsers } from './words.js';
import { readHeredocSubs, readWord } from './words.js';

const redirectPattern = /^(\d*)(&>>|&>|<<<|<<-|<<|<>|<&|<|>>|>\||>&|>)/;

export function readRedirect(cur: Cursor, parsers: WordParsers): RedirectNode | undefined {
  const match = redirectPattern.exec(cur.src.slice(cur.pos, cur.pos + 8));
  if (!match) return undefined;
  const op = match[2] ?? '';
  cur.pos += match[0].length;
  skipBlanks(cur);
  const target = readWord(cur, parsers);
  if (!target) throw new ShellSyntaxError(`a file name must follow ${op}`);
  const node: RedirectNode = { op, target, heredocSubs: [] };
  if (match[1]) node.fd = Number(match[1]);
  if (op === '<<' || op === '<<-') {
    const delimiter = target.segments.map((s) => s.text).join('');
    const expand = !/['"\\]/.test(target.raw);
    cur.heredocs.push({ delimiter, stripTabs: op === '<<-', expand, target: node });
  }
  return node;
}

export function parseRedirects(cur: Cursor, parsers: WordParsers): RedirectNode[] {
  const redirects: RedirectNode[] = [];
  for (;;) {
    skipBlanks(cur);
    const redirect = readRedirect(cur, parsers);
    if (!redirect) return redirects;
    redirects.push(redirect);
  }
}

/** Blanks, comments and newlines between commands. */
export function skipSeparators(cur: Cursor, parsers: WordParsers): void {
  for (;;) {
    skipBlanks(cur);
    if (peek(cur) === '\n') newline(cur, parsers);
    else if (peek(cur) === '#') skipComment(cur);
    else return;
  }
}

/** Consumes a newline, then the bodies of the here-documents opened on the line it ends. */
export function newline(cur: Cursor, parsers: WordParsers): void {
  cur.pos++;
  for (const doc of cur.heredocs.splice(0)) {
    let body = '';
    while (!atEnd(cur)) {
      const nl = cur.src.indexOf('\n', cur.pos);
      const end = nl === -1 ? cur.src.length : nl;
      const line = cur.src.slice(cur.pos, end);
      cur.pos = nl === -1 ? end : end + 1;
      if ((doc.stripTabs ? line.replace(/^\t+/, '') : line) === doc.delimiter) break;
      body += `${line}\n`;
    }
    doc.target.body = body;
    if (doc.expand) doc.target.heredocSubs = readHeredocSubs(body, cur.depth + 1, parsers);
  }
}
