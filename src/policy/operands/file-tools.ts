// Operand readers for the file tools: copy, move, delete, write, chmod, grep-like pattern tools, dd.
import type { Handler } from './args.js';
import { parseArgs, pathValues, valuesOf } from './args.js';
import { valueAfter, wordText } from '../shell/word.js';

export const generic =
  (valueOptions: string[] = []): Handler =>
  (words, ops) => {
    const args = parseArgs(words, valueOptions);
    ops.reads.push(...args.positionals, ...pathValues(args));
  };

/** grep, rg, sed, awk: the first operand is a pattern unless `-e`/`-f` gave one. */
export const patternFirst =
  (valueOptions: string[], inPlace = false): Handler =>
  (words, ops) => {
    const args = parseArgs(words, ['-e', '-f', '--regexp', '--file', '--expression', ...valueOptions]);
    const given = args.values.some((v) =>
      ['-e', '-f', '--regexp', '--file', '--expression'].includes(v.option),
    );
    const files = given ? args.positionals : args.positionals.slice(1);
    const writes = inPlace && args.flags.some((f) => /^(-i|--in-place)/.test(f) || /^-[a-zA-Z]*i/.test(f));
    (writes ? ops.writes : ops.reads).push(...files);
    ops.reads.push(...valuesOf(args, ['-f', '--file']));
  };

export const copyLike =
  (mode: 'cp' | 'mv' | 'ln'): Handler =>
  (words, ops) => {
    const args = parseArgs(words, ['-t', '--target-directory', '-S', '--suffix', '-m', '-o', '-g']);
    const target = valuesOf(args, ['-t', '--target-directory']);
    const sources = target.length > 0 ? args.positionals : args.positionals.slice(0, -1);
    const dest = target.length > 0 ? target : args.positionals.slice(-1);
    ops.writes.push(...dest);
    if (mode === 'mv') ops.deletes.push(...sources);
    else ops.reads.push(...sources);
  };

export const deleteLike: Handler = (words, ops) => ops.deletes.push(...parseArgs(words, []).positionals);

export const writeLike =
  (valueOptions: string[] = []): Handler =>
  (words, ops) => {
    const args = parseArgs(words, valueOptions);
    ops.writes.push(...args.positionals);
    ops.reads.push(...valuesOf(args, ['-r', '--reference']));
  };

/** chmod, chown: the first operand is the mode or owner (`chmod -x f` included). */
export const modeLike: Handler = (words, ops) => {
  const known =
    /^(-[RfvchHLP]+|--(recursive|silent|quiet|verbose|changes|no-dereference|dereference|preserve-root|no-preserve-root|reference=.*|from=.*))$/;
  const operands = words.filter((w) => !known.test(wordText(w)));
  const byReference = words.some((w) => wordText(w).startsWith('--reference='));
  ops.modes.push(...(byReference ? operands : operands.slice(1)));
};

export const dd: Handler = (words, ops) => {
  for (const word of words) {
    const input = valueAfter(word, 'if=');
    const output = valueAfter(word, 'of=');
    if (input) ops.reads.push(input);
    if (output) ops.writes.push(output);
  }
};
