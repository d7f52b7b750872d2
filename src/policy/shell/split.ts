// Splits a shell command into the parts a policy judges one by one: every simple command in
// pipes, lists, subshells, `$(…)`, backticks, `sh -c` scripts and behind wrappers. It follows
// `cd` and static `NAME=value` assignments so later parts resolve paths as the shell would.
import type { CommandNode, ListNode, RedirectNode, WordNode } from './ast.js';
import { ShellSyntaxError } from './cursor.js';
import { parseShell } from './parser.js';
import type { CommandPart, PartVia, Redirect, Segment, ShellWord } from './types.js';
import { commandName, varWord, wordText } from './word.js';
import { unwrap } from './wrappers.js';
import { readsInput } from './stdin.js';

interface Scope {
  cwd: ShellWord | undefined;
  /** Known variable values; null = set to something only known at run time. */
  vars: Map<string, Segment[] | null>;
  feeds: string[];
  via: PartVia;
  inFunction: string | undefined;
  /** Functions defined so far (shared: a definition is visible from then on). */
  functions: Set<string>;
  depth: number;
  /** Nothing in the command redirects input: stdin is the session's, which is empty. */
  quietStdin: boolean;
}

const maxWrappers = 8;

/** Every part of `command`, in the order the shell would reach them. Throws `ShellSyntaxError`. */
export function splitCommand(command: string): CommandPart[] {
  const out: CommandPart[] = [];
  const scope: Scope = {
    cwd: undefined,
    vars: new Map(),
    feeds: [],
    via: 'command',
    inFunction: undefined,
    functions: new Set(),
    depth: 0,
    quietStdin: true,
  };
  const list = parseShell(command);
  scope.quietStdin = !readsInput(list);
  walkList(list, scope, out);
  return out;
}

function fork(scope: Scope, patch: Partial<Scope> = {}): Scope {
  return { ...scope, vars: new Map(scope.vars), feeds: [...scope.feeds], ...patch };
}

function walkList(list: ListNode, scope: Scope, out: CommandPart[]): void {
  for (const pipeline of list.items) {
    const [only, ...more] = pipeline.stages;
    if (only && more.length === 0) {
      walkCommand(only, scope, out);
      continue;
    }
    const upstream: string[] = [];
    for (const stage of pipeline.stages) {
      const start = out.length;
      walkCommand(stage, fork(scope, { feeds: [...scope.feeds, ...upstream] }), out);
      upstream.push(...namesOf(out.slice(start)));
    }
  }
}

function walkCommand(node: CommandNode, scope: Scope, out: CommandPart[]): void {
  switch (node.type) {
    case 'simple':
      return emitSimple(node.words, node.assigns, node.redirects, scope, out);
    case 'subshell':
      walkList(node.body, fork(scope), out);
      return emitSimple([], [], node.redirects, scope, out);
    case 'group':
      walkList(node.body, scope, out);
      return emitSimple([], [], node.redirects, scope, out);
    case 'function':
      scope.functions.add(node.name);
      return walkCommand(node.body, fork(scope, { inFunction: node.name }), out);
    case 'case':
      for (const word of node.words) walkSubs(word.subs, scope, out);
      for (const arm of node.arms) walkList(arm, scope, out);
      return emitSimple([], [], node.redirects, scope, out);
    case 'noop':
      for (const word of node.words) walkSubs(word.subs, scope, out);
      if (node.binds !== undefined) scope.vars.set(node.binds, null);
      return emitSimple([], [], node.redirects, scope, out);
  }
}

function walkSubs(subs: ListNode[], scope: Scope, out: CommandPart[]): string[] {
  const names: string[] = [];
  for (const sub of subs) {
    const start = out.length;
    walkList(sub, fork(scope, { via: 'substitution' }), out);
    names.push(...namesOf(out.slice(start)));
  }
  return names;
}

function emitSimple(
  wordNodes: WordNode[],
  assignNodes: WordNode[],
  redirectNodes: RedirectNode[],
  scope: Scope,
  out: CommandPart[],
): void {
  const nodes = [...assignNodes, ...wordNodes, ...redirectNodes.map((r) => r.target)];
  const fed = walkSubs(
    nodes.flatMap((n) => n.subs).concat(redirectNodes.flatMap((r) => r.heredocSubs)),
    scope,
    out,
  );
  if (nodes.length === 0) return;
  const words = wordNodes.map((w) => substitute(w, scope.vars));
  const assignments = assignNodes.map((w) => substitute(w, scope.vars));
  const redirects = redirectNodes.map((r) => redirectOf(r, scope.vars));
  const part = makePart(words, assignments, redirects, scope, [...scope.feeds, ...fed], scope.via);
  emitPart(part, scope, out, 0);
  applyEffects(part, scope);
}

function makePart(
  words: ShellWord[],
  assignments: ShellWord[],
  redirects: Redirect[],
  scope: Scope,
  feeds: string[],
  via: PartVia,
): CommandPart {
  const part: CommandPart = {
    text: words.map((w) => w.raw).join(' '),
    argv: words.map(wordText),
    words,
    assignments,
    redirects,
    feeds,
    via,
  };
  if (scope.cwd) part.cwd = scope.cwd;
  if (scope.inFunction !== undefined) part.inFunction = scope.inFunction;
  if (part.argv[0] !== undefined && scope.functions.has(part.argv[0])) part.callsFunction = true;
  return part;
}

function emitPart(part: CommandPart, scope: Scope, out: CommandPart[], hops: number): void {
  if (hops > maxWrappers) throw new ShellSyntaxError('too many nested wrappers');
  const plan = unwrap(part);
  if (plan.inner !== undefined) part.inner = plan.inner;
  if (plan.code !== undefined) part.code = plan.code;
  out.push(part);
  const inner = fork(scope, { cwd: part.cwd, feeds: part.feeds });
  for (const nested of plan.nested) {
    if (nested.kind === 'script') {
      const depth = scope.depth + 1;
      walkList(parseShell(nested.script, depth), fork(inner, { via: nested.via, depth }), out);
      continue;
    }
    const cwd = nested.cwd ? joinCwd(part.cwd, nested.cwd) : part.cwd;
    const child = makePart(
      nested.words,
      nested.assignments,
      [],
      fork(inner, { cwd }),
      part.feeds,
      nested.via,
    );
    // `xargs rm -f a` with nothing piped in runs `rm -f a`: the session gives commands no stdin.
    const fed = part.feeds.length > 0 || !scope.quietStdin || nested.argsFromFile === true;
    if ((nested.argsFromInput && fed) || part.argsFromInput) child.argsFromInput = true;
    emitPart(child, scope, out, hops + 1);
  }
}

/** What a part changes for the parts after it: `cd`, and variables set to known values. */
function applyEffects(part: CommandPart, scope: Scope): void {
  const name = part.argv[0];
  const args = part.words.slice(1);
  if (name === undefined) {
    for (const assignment of part.assignments) setVar(scope, assignment);
  } else if (name === 'cd' || name === 'pushd') {
    const target = args.find((w) => !wordText(w).startsWith('-') || wordText(w) === '-');
    const to = target === undefined ? tilde : wordText(target) === '-' ? varWord('OLDPWD') : target;
    scope.cwd = joinCwd(scope.cwd, to);
  } else if (name === 'popd') scope.cwd = varWord('DIRSTACK');
  else if (['export', 'declare', 'local', 'readonly', 'typeset'].includes(name)) {
    for (const arg of args) if (/^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(wordText(arg))) setVar(scope, arg);
  } else if (name === 'unset') {
    for (const arg of args) scope.vars.set(wordText(arg), []);
  } else if (name === 'read' || name === 'mapfile' || name === 'readarray') {
    for (const arg of args) if (!wordText(arg).startsWith('-')) scope.vars.set(wordText(arg), null);
  }
}

const tilde: ShellWord = { raw: '~', segments: [{ kind: 'tilde', text: '~' }] };

function setVar(scope: Scope, word: ShellWord): void {
  const [first, ...rest] = word.segments;
  const match = first?.kind === 'lit' ? /^([A-Za-z_][A-Za-z0-9_]*)(\+?)=(.*)$/s.exec(first.text) : null;
  if (!match || match[1] === undefined) return;
  const value: Segment[] = match[3] ? [{ kind: 'lit', text: match[3] }, ...rest] : rest;
  scope.vars.set(match[1], match[2] === '+' ? null : value);
}

/** Replaces variables set earlier in the same command by what they hold. */
function substitute(word: WordNode | ShellWord, vars: Scope['vars']): ShellWord {
  const segments = word.segments.flatMap((s): Segment[] => {
    if (s.kind !== 'var' || !vars.has(s.text)) return [s];
    return vars.get(s.text) ?? [{ kind: 'sub', text: `$${s.text}` }];
  });
  return { raw: word.raw, segments };
}

function redirectOf(node: RedirectNode, vars: Scope['vars']): Redirect {
  const redirect: Redirect = { op: node.op, target: substitute(node.target, vars) };
  if (node.fd !== undefined) redirect.fd = node.fd;
  if (node.body !== undefined) redirect.body = node.body;
  return redirect;
}

/** Where `cd to` lands from `from`: absolute and home-relative targets replace it. */
function joinCwd(from: ShellWord | undefined, to: ShellWord): ShellWord {
  const first = to.segments[0];
  const absolute =
    first?.kind === 'tilde' || first?.kind === 'var' || (first?.kind === 'lit' && first.text.startsWith('/'));
  if (!from || absolute) return to;
  return {
    raw: `${from.raw}/${to.raw}`,
    segments: [...from.segments, { kind: 'lit', text: '/' }, ...to.segments],
  };
}

function namesOf(parts: CommandPart[]): string[] {
  return parts.flatMap((p) => (p.argv[0] === undefined ? [] : [commandName(p.argv[0])]));
}
