// Glob patterns for rules. Path globs: `*` and `?` stay within one directory, `**` crosses them,
// `[…]` and `{a,b}` as in the shell. Text globs (commands, agents, tools): `*` matches anything.
// A backslash makes the next character literal.

export type GlobMode = 'path' | 'text';

export function globToRegExp(pattern: string, mode: GlobMode): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    const rest = pattern.slice(i);
    if (c === '\\' && i + 1 < pattern.length) {
      out += escapeRegExp(pattern[++i] ?? '');
    } else if (mode === 'text') {
      out += c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : escapeRegExp(c);
    } else if (rest.startsWith('/**') && (i + 3 === pattern.length || pattern[i + 3] === '/')) {
      out += '(?:/.*)?';
      i += 2;
    } else if (rest.startsWith('**/') && i === 0) {
      out += '(?:.*/)?';
      i += 2;
    } else if (rest.startsWith('**')) {
      out += '.*';
      i += 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[' && pattern.indexOf(']', i + 2) > i) {
      const end = pattern.indexOf(']', i + 2);
      const body = pattern.slice(i + 1, end);
      const negated = body.startsWith('!') || body.startsWith('^');
      out += `[${negated ? '^' : ''}${(negated ? body.slice(1) : body).replace(/[\\\][^]/g, '\\$&')}]`;
      i = end;
    } else if (c === '{' && pattern.indexOf('}', i) > i) {
      const end = pattern.indexOf('}', i);
      const options = pattern.slice(i + 1, end).split(',');
      out += `(?:${options.map((o) => globToRegExp(o, mode).source.slice(1, -1)).join('|')})`;
      i = end;
    } else out += escapeRegExp(c);
  }
  return new RegExp(`^${out}$`);
}

/** The literal directory part of a path glob, before its first wildcard. */
export function globPrefix(pattern: string): string {
  const first = pattern.search(/[*?[{\\]/);
  if (first === -1) return pattern;
  return pattern.slice(0, pattern.lastIndexOf('/', first) + 1);
}

/** Makes `text` match itself only, as a glob (for rules written from a literal command). */
export function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]{}]/g, (c) => `\\${c}`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
