// Small helpers over shell words: their text, whether they are fully literal, and slicing.
import type { Segment, ShellWord } from './types.js';

/** The word as the shell would show it before running: `$NAME` for variables, `$(…)` as written. */
export function wordText(word: ShellWord): string {
  return word.segments.map((s) => (s.kind === 'var' ? `$${s.text}` : s.text)).join('');
}

/** The word's value when nothing in it depends on the environment or on running something. */
export function wordLiteral(word: ShellWord): string | undefined {
  return word.segments.every((s) => s.kind === 'lit' || s.kind === 'glob') ? wordText(word) : undefined;
}

export function litWord(text: string): ShellWord {
  return { raw: text, segments: [{ kind: 'lit', text }] };
}

export function varWord(name: string): ShellWord {
  return { raw: `$${name}`, segments: [{ kind: 'var', text: name }] };
}

/** The word without its first `length` characters of literal text (`of=/dev/sda` → `/dev/sda`). */
export function dropPrefix(word: ShellWord, length: number): ShellWord {
  const segments: Segment[] = [];
  let left = length;
  for (const segment of word.segments) {
    if (left > 0 && segment.kind === 'lit') {
      const rest = segment.text.slice(left);
      left -= segment.text.length - rest.length;
      if (rest !== '') segments.push({ kind: 'lit', text: rest });
    } else segments.push(segment);
  }
  return { raw: word.raw.slice(Math.min(length, word.raw.length)), segments };
}

/** The value of `--name=value` or `key=value` words, else undefined. */
export function valueAfter(word: ShellWord, prefix: string): ShellWord | undefined {
  return wordText(word).startsWith(prefix) ? dropPrefix(word, prefix.length) : undefined;
}

export function commandName(argv0: string | undefined): string {
  if (argv0 === undefined) return '';
  const slash = argv0.lastIndexOf('/');
  return slash === -1 ? argv0 : argv0.slice(slash + 1);
}
