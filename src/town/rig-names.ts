// Rig names and bead prefixes: what is allowed, what is reserved, and how a prefix is derived from
// a rig name when none is given. Prefixes are unique across the town; `hq` is the town's own.
import { hqPrefix } from '../beads/index.js';
import { ErrorCode, GasTownError, invalidInput } from '../errors.js';

export const rigNamePattern = /^[a-z][a-z0-9_-]{0,39}$/;
export const reservedRigNames: readonly string[] = ['mayor', 'hq', 'town'];
export const rigPrefixPattern = /^[a-z][a-z0-9]{1,7}$/;

export function checkRigName(name: string): void {
  if (name.startsWith('.'))
    throw invalidInput(`invalid rig name "${name}": names starting with "." are reserved`, { rig: name });
  if (!rigNamePattern.test(name)) {
    throw invalidInput(
      `invalid rig name "${name}": use 1-40 characters from a-z, 0-9, "-" and "_", starting with a letter`,
      { rig: name },
    );
  }
  if (reservedRigNames.includes(name)) {
    throw invalidInput(`invalid rig name "${name}": it is reserved (${reservedRigNames.join(', ')})`, {
      rig: name,
    });
  }
}

/** Checks an explicit prefix; `taken` maps each prefix in use to the rig that holds it. */
export function checkPrefix(prefix: string, taken: ReadonlyMap<string, string>): string {
  if (!rigPrefixPattern.test(prefix)) {
    throw invalidInput(
      `invalid prefix "${prefix}": use 2-8 lowercase letters or digits, starting with a letter`,
      {
        prefix,
      },
    );
  }
  if (prefix === hqPrefix)
    throw invalidInput(`prefix "${prefix}" is reserved for town-level beads`, { prefix });
  const holder = taken.get(prefix);
  if (holder !== undefined) {
    throw new GasTownError(ErrorCode.conflict, `prefix "${prefix}" is already used by rig "${holder}"`, {
      ids: { prefix, rig: holder },
    });
  }
  return prefix;
}

/**
 * A free prefix for `name`: the initials of its words (`my-web-app` → `mwa`), else its first two
 * letters (`frontend` → `fr`), lengthened letter by letter, then numbered, until one is free.
 */
export function derivePrefix(name: string, taken: ReadonlyMap<string, string>): string {
  for (const candidate of prefixCandidates(name)) {
    if (rigPrefixPattern.test(candidate) && candidate !== hqPrefix && !taken.has(candidate)) return candidate;
  }
  throw new GasTownError(ErrorCode.conflict, `cannot derive a free prefix for rig "${name}"; pass --prefix`, {
    ids: { rig: name },
  });
}

function* prefixCandidates(name: string): Generator<string> {
  const words = name.split(/[-_]+/).filter((word) => word !== '');
  const compact = words.join('');
  if (words.length > 1)
    yield words
      .map((word) => word[0])
      .join('')
      .slice(0, 8);
  for (let length = 2; length <= Math.min(8, compact.length); length++) yield compact.slice(0, length);
  const stem = compact.slice(0, 6);
  for (let n = 2; n < 100; n++) yield `${stem}${n}`.slice(0, 8);
}
