// Commands that run other commands: `env`, `sudo`, `nice`, `timeout`, `setsid`, `xargs`,
// `parallel`, `find -exec`, `sh -c`, `eval`, `watch`, and tools with an option naming a program
// (programs.ts)… For each we say where the wrapped command starts, so it is judged as a part of
// its own (and the wrapper too: `sudo` is denied whatever it runs).
import { codeOf, shells } from './code.js';
import { addAll, programsOf } from './programs.js';
import type { CodeSource, CommandPart, PartVia, ShellWord } from './types.js';
import { commandName, litWord, valueAfter, wordLiteral, wordText } from './word.js';

export type Nested =
  | {
      kind: 'argv';
      words: ShellWord[];
      assignments: ShellWord[];
      via: PartVia;
      argsFromInput?: boolean;
      /** `xargs -a FILE`: the arguments come from a file, whatever stdin is. */
      argsFromFile?: boolean;
      cwd?: ShellWord;
    }
  | { kind: 'script'; script: string; via: PartVia };

export interface WrapPlan {
  inner?: number;
  code?: CodeSource;
  nested: Nested[];
}

interface Spec {
  /** Options that take a value as the next word. */
  values?: string[];
  /** Words after the options that belong to the wrapper (`timeout 10`, `flock FILE`). */
  operands?: number;
  /** Words that make it not run anything (`command -v`). */
  lookup?: string[];
}

const specs: Record<string, Spec> = {
  sudo: {
    values: [
      '-u',
      '-g',
      '-C',
      '-D',
      '-h',
      '-p',
      '-U',
      '-r',
      '-t',
      '-T',
      '--user',
      '--group',
      '--chdir',
      '--prompt',
    ],
  },
  doas: { values: ['-u', '-C'] },
  nice: { values: ['-n', '--adjustment'] },
  ionice: { values: ['-c', '-n', '-p', '-P', '-u', '--class', '--classdata'] },
  timeout: { values: ['-s', '-k', '--signal', '--kill-after'], operands: 1 },
  nohup: {},
  time: { values: ['-f', '-o', '--format', '--output'] },
  command: { lookup: ['-v', '-V'] },
  builtin: {},
  exec: { values: ['-a'] },
  stdbuf: { values: ['-i', '-o', '-e'] },
  flock: { values: ['-w', '--timeout', '-E', '--conflict-exit-code'], operands: 1 },
  chronic: {},
  unbuffer: {},
  setsid: {},
};

const xargsValues = [
  '-I',
  '-n',
  '-P',
  '-L',
  '-d',
  '-a',
  '-E',
  '-s',
  '--max-args',
  '--max-procs',
  '--delimiter',
  '--arg-file',
  '--replace',
  '--eof',
  '--max-chars',
  '--max-lines',
  '--process-slot-var',
];

export function unwrap(part: CommandPart): WrapPlan {
  const words = part.words;
  const name = commandName(part.argv[0]);
  const spec = specs[name];
  if (spec) return peel(words, spec);
  if (name === 'env') return peelEnv(words);
  if (name === 'xargs') {
    const start = skipOptions(words, 1, xargsValues);
    const inner = start < words.length ? words.slice(start) : [litWord('echo')];
    const fromFile = words.slice(1, start).some((w) => /^(-a|--arg-file)/.test(wordText(w)));
    const nested: Nested = {
      kind: 'argv',
      words: inner,
      assignments: [],
      via: 'wrapper',
      argsFromInput: true,
    };
    if (fromFile) nested.argsFromFile = true;
    return { inner: start, nested: [nested] };
  }
  if (name === 'parallel') return parallel(words);
  if (['tar', 'zip', 'rsync', 'git'].includes(name)) {
    const programs = programsOf(name, words);
    const plan: WrapPlan = { nested: programs.nested };
    if (programs.code) plan.code = programs.code;
    return plan;
  }
  if (name === 'find') return findExec(words);
  if (name === 'watch') {
    const start = skipOptions(words, 1, ['-n', '--interval', '-d', '--differences']);
    return scriptPlan(words.slice(start), start, 'shell');
  }
  const code = codeOf(words);
  const plan: WrapPlan = { nested: [] };
  if (code.code) plan.code = code.code;
  if (code.index === undefined) return plan;
  plan.inner = code.index;
  const scripted = shells.has(name)
    ? words.slice(code.index, code.index + 1)
    : name === 'eval'
      ? words.slice(1)
      : [];
  if (code.code === 'inline' && scripted.length > 0) {
    const nested = scriptPlan(scripted, code.index, name === 'eval' ? 'eval' : 'shell').nested;
    plan.nested.push(...nested);
  }
  return plan;
}

function peel(words: ShellWord[], spec: Spec): WrapPlan {
  if (spec.lookup?.includes(wordText(words[1] ?? litWord('')))) return { nested: [] };
  const start = skipOptions(words, 1, spec.values ?? []) + (spec.operands ?? 0);
  if (start >= words.length) return { nested: [] };
  return {
    inner: start,
    nested: [{ kind: 'argv', words: words.slice(start), assignments: [], via: 'wrapper' }],
  };
}

/** `env [-i] [-u NAME] [-C DIR] [NAME=VALUE]… command`; `-S` splits a whole command line. */
function peelEnv(words: ShellWord[]): WrapPlan {
  const assignments: ShellWord[] = [];
  let cwd: ShellWord | undefined;
  let i = 1;
  for (; i < words.length; i++) {
    const word = words[i] ?? litWord('');
    const text = wordText(word);
    if (text === '-S' || text === '--split-string') return scriptPlan(words.slice(i + 1), i + 1, 'wrapper');
    const joined =
      valueAfter(word, '--split-string=') ?? (/^-S./.test(text) ? valueAfter(word, '-S') : undefined);
    if (joined) return scriptPlan([joined, ...words.slice(i + 1)], i, 'wrapper');
    if (text === '-u' || text === '--unset') i++;
    else if (text === '-C' || text === '--chdir') cwd = words[++i];
    else if (text === '--') continue;
    else if (text.startsWith('-')) continue;
    else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(text)) assignments.push(word);
    else break;
  }
  if (i >= words.length) return { nested: [] };
  const nested: Nested = { kind: 'argv', words: words.slice(i), assignments, via: 'wrapper' };
  if (cwd) nested.cwd = cwd;
  return { inner: i, nested: [nested] };
}

const parallelValues = [
  '-j',
  '--jobs',
  '-S',
  '--sshlogin',
  '--slf',
  '--sshloginfile',
  '-a',
  '--arg-file',
  '-N',
  '-n',
  '-L',
  '--max-args',
  '-I',
  '--replace',
  '-d',
  '--delimiter',
  '-E',
  '--colsep',
  '--joblog',
  '--results',
  '--tmpdir',
  '--workdir',
  '--wd',
  '--timeout',
  '--delay',
  '--retries',
  '--halt',
  '--tag-string',
];

/** `parallel [options] CMD … ::: ARGS`: CMD runs through a shell, once per input; without CMD
 * the inputs themselves are the commands, only known at run time. */
function parallel(words: ShellWord[]): WrapPlan {
  const start = skipOptions(words, 1, parallelValues);
  const separator = words.findIndex((w, i) => i >= start && /^:::(:?)\+?$/.test(wordText(w)));
  const command = words.slice(start, separator < 0 ? words.length : separator);
  if (command.length === 0) return { code: 'dynamic', nested: [] };
  const programs: { nested: Nested[]; code?: CodeSource } = { nested: [] };
  addAll(command, programs);
  const plan: WrapPlan = { inner: start, nested: [] };
  if (programs.code) plan.code = programs.code;
  // The inputs are appended to (or replace `{}` in) the command line: paths known only at run time.
  for (const nested of programs.nested)
    if (nested.kind === 'script') plan.nested.push({ ...nested, script: `${nested.script} "$@"` });
  return plan;
}

/** `find START… -exec cmd {} ;`: `{}` stands for paths below each start path. */
function findExec(words: ShellWord[]): WrapPlan {
  let i = 1;
  const starts: ShellWord[] = [];
  for (; i < words.length; i++) {
    const text = wordText(words[i] ?? litWord(''));
    if (text.startsWith('-') || text === '(' || text === '!' || text === ',') break;
    starts.push(words[i] ?? litWord('.'));
  }
  if (starts.length === 0) starts.push(litWord('.'));
  const plan: WrapPlan = { nested: [] };
  for (; i < words.length; i++) {
    if (!['-exec', '-execdir', '-ok', '-okdir'].includes(wordText(words[i] ?? litWord('')))) continue;
    plan.inner ??= i;
    let end = i + 1;
    while (end < words.length && !/^[;+]$/.test(wordText(words[end] ?? litWord(';')))) end++;
    const command = words.slice(i + 1, end);
    for (const start of starts) {
      const placed = command.map((w) => (wordText(w) === '{}' ? below(start) : w));
      if (placed.length > 0)
        plan.nested.push({ kind: 'argv', words: placed, assignments: [], via: 'find-exec' });
    }
    i = end;
  }
  return plan;
}

function below(start: ShellWord): ShellWord {
  return { raw: `${start.raw}/{}`, segments: [...start.segments, { kind: 'lit', text: '/{}' }] };
}

/** A command line held in words (`eval a b`, `watch cmd args`): parsed when literal, else dynamic. */
function scriptPlan(words: ShellWord[], index: number, via: PartVia): WrapPlan {
  if (words.length === 0) return { nested: [] };
  const texts = words.map(wordLiteral);
  if (texts.some((t) => t === undefined)) return { inner: index, code: 'dynamic', nested: [] };
  return { inner: index, code: 'inline', nested: [{ kind: 'script', script: texts.join(' '), via }] };
}

export function skipOptions(words: ShellWord[], from: number, values: string[]): number {
  let i = from;
  for (; i < words.length; i++) {
    const text = wordText(words[i] ?? litWord(''));
    if (text === '--') return i + 1;
    if (!text.startsWith('-') || text === '-') return i;
    if (values.includes(text)) i++;
  }
  return i;
}
