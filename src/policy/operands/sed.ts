// sed: its scripts are read, not grepped. `w file`, `W file` and the `s///w file` flag write a
// file (judged as a write of that path), `r`/`R` read one, and the `e` command or `s///e` flag run a
// shell command (the rule `tool-runs-commands` asks). `-i` makes the input files writes.
import type { ShellWord } from '../shell/types.js';
import { litWord, wordText } from '../shell/word.js';
import type { Handler } from './args.js';
import { parseArgs, valuesOf } from './args.js';

export interface SedScript {
  /** The script runs a command (`e`, `s///e`). */
  runs: boolean;
  writes: string[];
  reads: string[];
}

const valueOptions = ['-e', '--expression', '-f', '--file', '-l', '--line-length'];

/** The scripts and input files of a sed command line (`words` without `sed`). */
export function sedCall(words: ShellWord[]): { scripts: string[]; files: ShellWord[]; inPlace: boolean } {
  const args = parseArgs(words, valueOptions);
  const given = valuesOf(args, ['-e', '--expression']);
  const fromFile = valuesOf(args, ['-f', '--file']).length > 0;
  const script = given.length > 0 || fromFile ? [] : args.positionals.slice(0, 1);
  const files = given.length > 0 || fromFile ? args.positionals : args.positionals.slice(1);
  const inPlace = args.flags.some((f) => /^--in-place/.test(f) || /^-[a-zA-Z]*i/.test(f));
  return { scripts: [...given, ...script].map(wordText), files, inPlace };
}

export const sed: Handler = (words, ops) => {
  const call = sedCall(words);
  (call.inPlace ? ops.writes : ops.reads).push(...call.files);
  ops.reads.push(...valuesOf(parseArgs(words, valueOptions), ['-f', '--file']));
  for (const script of call.scripts) {
    const parsed = parseSed(script);
    ops.writes.push(...parsed.writes.map(litWord));
    ops.reads.push(...parsed.reads.map(litWord));
  }
};

/** Reads a sed script command by command (GNU syntax). */
export function parseSed(script: string): SedScript {
  const result: SedScript = { runs: false, writes: [], reads: [] };
  let i = 0;
  const restOfLine = (): string => {
    const end = script.indexOf('\n', i);
    const text = script.slice(i, end < 0 ? script.length : end);
    i = end < 0 ? script.length : end + 1;
    return text.trim();
  };
  while (i < script.length) {
    i = skipAddress(script, i);
    const c = script[i++] ?? '';
    if (' \t\n;{}!'.includes(c)) continue;
    if (c === '#') restOfLine();
    else if ('aic'.includes(c)) {
      // `a\` text lines continue while they end in a backslash.
      while (restOfLine().endsWith('\\') && i < script.length) continue;
    } else if (c === ':' || 'btT'.includes(c)) i = endOfLabel(script, i);
    else if (c === 'w' || c === 'W') pushFile(result.writes, restOfLine());
    else if (c === 'r' || c === 'R') pushFile(result.reads, restOfLine());
    else if (c === 'e') {
      result.runs = true;
      restOfLine();
    } else if (c === 's' || c === 'y') i = substitution(script, i, c === 's', result);
  }
  return result;
}

function pushFile(list: string[], name: string): void {
  if (name !== '') list.push(name);
}

/** Skips blanks, an address or two (`1,5`, `$`, `/re/I`, `\%re%`, `0~4`, `,+3`) and `!`. */
function skipAddress(script: string, start: number): number {
  let i = start;
  for (;;) {
    const c = script[i] ?? '';
    if (
      c === ' ' ||
      c === '\t' ||
      c === '!' ||
      c === ',' ||
      c === '$' ||
      c === '~' ||
      c === '+' ||
      /\d/.test(c)
    )
      i++;
    else if (c === '/' || c === '\\') {
      const delimiter = c === '/' ? '/' : (script[i + 1] ?? '');
      i = delimited(script, c === '/' ? i + 1 : i + 2, delimiter);
      while (/[IM]/.test(script[i] ?? '')) i++;
    } else return i;
  }
}

/** The index after the closing `delimiter`, honouring backslash escapes. */
function delimited(script: string, start: number, delimiter: string): number {
  let i = start;
  while (i < script.length && script[i] !== delimiter && script[i] !== '\n') i += script[i] === '\\' ? 2 : 1;
  return i + 1;
}

function endOfLabel(script: string, start: number): number {
  let i = start;
  while (i < script.length && script[i] !== '\n' && script[i] !== ';') i++;
  return i;
}

/** `s/re/repl/flags` or `y/src/dst/`: the flags `e` (run) and `w file` (write) matter. */
function substitution(script: string, start: number, isS: boolean, result: SedScript): number {
  const delimiter = script[start] ?? '/';
  let i = delimited(script, start + 1, delimiter);
  i = delimited(script, i, delimiter);
  if (!isS) return i;
  for (; i < script.length; i++) {
    const flag = script[i] ?? '';
    if (flag === 'e') result.runs = true;
    else if (flag === 'w') {
      const end = script.indexOf('\n', i + 1);
      pushFile(result.writes, script.slice(i + 1, end < 0 ? script.length : end).trim());
      return end < 0 ? script.length : end + 1;
    } else if (!/[gpiImM0-9]/.test(flag)) return i;
  }
  return i;
}
