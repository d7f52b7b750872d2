// awk, gawk, mawk: the program text is read with its strings and regular expressions set aside.
// `system(…)`, a pipe to or from a command (`print | "cmd"`, `"cmd" | getline`, gawk's `|&`) and
// loading native code (`@load`, `gawk -l`) or gawk's indirect calls (`@f(…)`) run a command (the rule `tool-runs-commands` asks);
// `print > "file"` writes that file (judged as a write of its path).
import type { ShellWord } from '../shell/types.js';
import { litWord, wordText } from '../shell/word.js';
import type { Handler } from './args.js';
import { parseArgs, valuesOf } from './args.js';

const valueOptions = [
  '-F',
  '-v',
  '-f',
  '--file',
  '-e',
  '--source',
  '-i',
  '--include',
  '-l',
  '--load',
  '-E',
  '--exec',
];

export interface AwkCall {
  programs: string[];
  files: ShellWord[];
  /** Native extensions loaded with `-l`. */
  loads: boolean;
}

export function awkCall(words: ShellWord[]): AwkCall {
  const args = parseArgs(words, valueOptions);
  const sources = valuesOf(args, ['-e', '--source']);
  const fromFile = valuesOf(args, ['-f', '--file', '-E', '--exec']).length > 0;
  const own = sources.length > 0 || fromFile ? [] : args.positionals.slice(0, 1);
  const files = args.positionals
    .slice(own.length)
    .filter((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(wordText(w)));
  return {
    programs: [...sources, ...own].map(wordText),
    files,
    loads: valuesOf(args, ['-l', '--load']).length > 0,
  };
}

export const awk: Handler = (words, ops) => {
  const call = awkCall(words);
  const args = parseArgs(words, valueOptions);
  ops.reads.push(...call.files, ...valuesOf(args, ['-f', '--file', '-E', '--exec']));
  for (const program of call.programs) ops.writes.push(...awkProgram(program).writes.map(litWord));
};

/** What an awk program does beyond reading its input. */
export function awkProgram(program: string): { runs: boolean; writes: string[] } {
  const writes = [...program.matchAll(/\bprintf?\b[^;{}\n|]*?>>?\s*"([^"]+)"/g)].map((m) => m[1] ?? '');
  const code = stripLiterals(program);
  // gawk's indirect calls (`f = "system"; @f("id")`) reach built-ins too.
  const runs =
    /\bsystem\s*\(/.test(code) || /(^|[^|])\|($|[^|])/.test(code) || /@load\b|@[A-Za-z_]\w*\s*\(/.test(code);
  return { runs, writes: writes.filter((w) => w !== '' && !w.startsWith('/dev/std')) };
}

/** The program with string and regex literals blanked out, so their `|` and `system(` don't count. */
function stripLiterals(program: string): string {
  let out = '';
  let previous = '';
  for (let i = 0; i < program.length; i++) {
    const c = program[i] ?? '';
    const regexStart = c === '/' && (previous === '' || /[(,~!{};&|=\n]/.test(previous));
    if (c === '"' || regexStart) {
      i = closing(program, i + 1, c);
      out += '""';
      previous = '"';
      continue;
    }
    if (c === '#') {
      const end = program.indexOf('\n', i);
      i = end < 0 ? program.length : end - 1;
      continue;
    }
    out += c;
    if (c !== ' ' && c !== '\t') previous = c;
  }
  return out;
}

function closing(text: string, start: number, quote: string): number {
  let i = start;
  while (i < text.length && text[i] !== quote) i += text[i] === '\\' ? 2 : 1;
  return i;
}
