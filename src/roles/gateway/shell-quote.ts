// Quoting for the one place we must hand a command string to `/bin/sh -c`: the sandbox takes a
// shell command, so the file tools quote every operand. A POSIX single-quoted word means exactly its
// bytes; the only character it cannot hold is `'` itself, written as `'\''` (close, escaped quote,
// reopen). NUL cannot travel in an argument at all, so it is refused rather than cut.
import { invalidInput } from '../../errors.js';

/** `word` as one POSIX shell word that the shell reads back byte for byte. */
export function shellQuote(word: string): string {
  if (word.includes('\0')) throw invalidInput('a shell operand cannot contain a NUL character', {});
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
