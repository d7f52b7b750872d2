// Option parsing shared by the operand readers: which words are options, option values and operands.
import type { ShellWord } from '../shell/types.js';
import { litWord, valueAfter, wordText } from '../shell/word.js';

export interface Operands {
  reads: ShellWord[];
  writes: ShellWord[];
  deletes: ShellWord[];
  modes: ShellWord[];
}

export interface Args {
  positionals: ShellWord[];
  /** Option values keyed by option (`-o` → word, `--output=x` → word). */
  values: { option: string; word: ShellWord }[];
  flags: string[];
}

export function parseArgs(words: ShellWord[], valueOptions: string[]): Args {
  const args: Args = { positionals: [], values: [], flags: [] };
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? litWord('');
    const text = wordText(word);
    if (text === '--') {
      args.positionals.push(...words.slice(i + 1));
      break;
    }
    const eq = text.indexOf('=');
    if (!text.startsWith('-') || text === '-') args.positionals.push(word);
    else if (text.startsWith('--') && eq > 0)
      args.values.push({ option: text.slice(0, eq), word: valueAfter(word, text.slice(0, eq + 1)) ?? word });
    else if (valueOptions.includes(text) && words[i + 1])
      args.values.push({ option: text, word: words[++i] ?? word });
    else args.flags.push(text);
  }
  return args;
}

export const pathLike = /^(\/|~|\.\.?\/|\$HOME|\$\{HOME\})/;
export const valuesOf = (args: Args, options: string[]) =>
  args.values.filter((v) => options.includes(v.option)).map((v) => v.word);
export const pathValues = (args: Args) =>
  args.values.map((v) => v.word).filter((w) => pathLike.test(wordText(w)));

export type Handler = (words: ShellWord[], ops: Operands) => void;

export const none: Handler = () => undefined;
