// The part of Go's text/template that convoy formulas use in `[prompts]` and `[output]`: fields
// (`{{.x}}`, `{{.leg.focus}}`, `{{.}}`, `{{$.x}}`), `if` / `else if` / `else` / `end`, `range` (with
// `else`), comments, and the `{{-` / `-}}` whitespace trim markers. A missing field renders as
// nothing (Go prints `<no value>`); anything else is an error naming the action, never ignored.
import { invalidInput } from '../errors.js';

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'field'; path: string[]; root: boolean }
  | { kind: 'if'; branches: { path: string[]; root: boolean; body: Node[] }[]; otherwise: Node[] }
  | { kind: 'range'; path: string[]; root: boolean; body: Node[]; otherwise: Node[] };

interface Action {
  text: string;
  at: number;
}

export function renderGoTemplate(template: string, data: unknown, name = 'template'): string {
  const tokens = tokenize(template);
  let index = 0;
  const fail = (action: Action, why: string): Error =>
    invalidInput(`${name}: {{${action.text}}} at offset ${action.at}: ${why}`);
  const parseUntil = (ends: readonly string[]): { nodes: Node[]; end?: Action } => {
    const nodes: Node[] = [];
    while (index < tokens.length) {
      const token = tokens[index++]!;
      if (typeof token === 'string') {
        nodes.push({ kind: 'text', text: token });
        continue;
      }
      const words = token.text.split(/\s+/).filter(Boolean);
      const head = words[0] ?? '';
      if (token.text.startsWith('/*')) continue;
      if (ends.includes(head)) return { nodes, end: token };
      if (head === 'if') {
        const branches = [{ ...pathOf(words[1], token), body: [] as Node[] }];
        let otherwise: Node[] = [];
        for (;;) {
          const part = parseUntil(['else', 'end']);
          branches.at(-1)!.body = part.nodes;
          if (!part.end) throw fail(token, 'no {{end}}');
          const endWords = part.end.text.split(/\s+/).filter(Boolean);
          if (endWords[0] === 'end') break;
          if (endWords[1] === 'if') {
            branches.push({ ...pathOf(endWords[2], part.end), body: [] });
            continue;
          }
          const rest = parseUntil(['end']);
          if (!rest.end) throw fail(token, 'no {{end}}');
          otherwise = rest.nodes;
          break;
        }
        nodes.push({ kind: 'if', branches, otherwise });
      } else if (head === 'range') {
        const { path, root } = pathOf(words[1], token);
        const body = parseUntil(['else', 'end']);
        if (!body.end) throw fail(token, 'no {{end}}');
        let otherwise: Node[] = [];
        if (body.end.text.trim() === 'else') {
          const rest = parseUntil(['end']);
          if (!rest.end) throw fail(token, 'no {{end}}');
          otherwise = rest.nodes;
        }
        nodes.push({ kind: 'range', path, root, body: body.nodes, otherwise });
      } else if (words.length === 1 && /^(\$|\.)/.test(head)) {
        nodes.push({ kind: 'field', ...pathOf(head, token) });
      } else
        throw fail(
          token,
          ends.length > 0 || head !== 'end' ? 'not supported (fields, if, else, range, end)' : 'unexpected',
        );
    }
    return { nodes };
  };
  const pathOf = (word: string | undefined, action: Action): { path: string[]; root: boolean } => {
    if (word === undefined || !/^(\$|\$?(\.[A-Za-z_][A-Za-z0-9_]*)+|\.)$/.test(word))
      throw fail(action, `"${word ?? ''}" is not a field`);
    return { root: word.startsWith('$'), path: word.replace(/^\$/, '').split('.').filter(Boolean) };
  };
  const tree = parseUntil([]);
  return render(tree.nodes, data, data);
}

function render(nodes: readonly Node[], dot: unknown, root: unknown): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'field') out += show(lookup(node.root ? root : dot, node.path));
    else if (node.kind === 'if') {
      const branch = node.branches.find((b) => truthy(lookup(b.root ? root : dot, b.path)));
      out += render(branch ? branch.body : node.otherwise, dot, root);
    } else {
      const value = lookup(node.root ? root : dot, node.path);
      const items = Array.isArray(value)
        ? value
        : value !== null && typeof value === 'object'
          ? Object.values(value)
          : [];
      if (items.length === 0) out += render(node.otherwise, dot, root);
      for (const item of items) out += render(node.body, item, root);
    }
  }
  return out;
}

function tokenize(template: string): (string | Action)[] {
  const tokens: (string | Action)[] = [];
  const pattern = /\{\{(-\s)?([\s\S]*?)(\s-)?\}\}/g;
  let last = 0;
  let trimNext = false;
  for (const match of template.matchAll(pattern)) {
    let text = template.slice(last, match.index);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (match[1]) text = text.replace(/\s+$/, '');
    tokens.push(text);
    tokens.push({ text: match[2]!.trim(), at: match.index });
    trimNext = match[3] !== undefined;
    last = match.index + match[0].length;
  }
  let tail = template.slice(last);
  if (trimNext) tail = tail.replace(/^\s+/, '');
  tokens.push(tail);
  return tokens;
}

function lookup(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
  return value !== undefined && value !== null && value !== false && value !== 0 && value !== '';
}

function show(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
