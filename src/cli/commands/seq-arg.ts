// Small argument parsers shared by commands; each error names the argument it rejects.
import { invalidInput } from '../../errors.js';

export function parseSeq(text: string, what: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1)
    throw invalidInput(`${what}: must be a positive integer (got ${text})`);
  return value;
}
