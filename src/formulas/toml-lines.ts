// Where a key of a TOML file sits: the line of `needs = …` inside the third `[[steps]]`, so a
// schema error says `file:line: steps[2].needs: …` instead of only a path. A light scan, not a
// second parser: smol-toml has already accepted the text, so every header and key is well formed.

export type KeyPath = readonly (string | number)[];

interface KeyLine {
  path: (string | number)[];
  line: number;
}

/** Every table header and key assignment of a TOML text, with its resolved path and line. */
export function keyLines(text: string): KeyLine[] {
  const found: KeyLine[] = [];
  const arrays = new Map<string, number>();
  let table: (string | number)[] = [];
  let fence: string | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (fence !== undefined) {
      if (countOf(raw, fence) % 2 === 1) fence = undefined;
      return;
    }
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const header = /^\[(\[)?\s*([^\]]+?)\s*\]\]?/.exec(trimmed);
    if (header) {
      const keys = splitKey(header[2]!);
      const resolved = resolve(keys, arrays);
      if (header[1] === '[') {
        const at = resolved.join('.');
        const next = (arrays.get(at) ?? -1) + 1;
        arrays.set(at, next);
        resolved.push(next);
      }
      table = resolved;
      found.push({ path: table, line });
      return;
    }
    const assignment = /^((?:"[^"]*"|'[^']*'|[A-Za-z0-9_\-.\s])+?)\s*=/.exec(trimmed);
    if (!assignment) return;
    found.push({ path: [...table, ...splitKey(assignment[1]!)], line });
    for (const quote of ['"""', "'''"]) if (countOf(trimmed, quote) % 2 === 1) fence = quote;
  });
  return found;
}

/** The line that best matches `path`: the deepest key or header on the way to it. */
export function lineOf(text: string, path: KeyPath): number | undefined {
  let best: KeyLine | undefined;
  let bestDepth = 0;
  for (const entry of keyLines(text)) {
    const depth = commonPrefix(entry.path, path);
    if (depth === entry.path.length && depth > bestDepth) {
      best = entry;
      bestDepth = depth;
    }
  }
  return best?.line;
}

/** `steps[2].needs` for messages. */
export function showPath(path: KeyPath): string {
  return path.reduce<string>(
    (shown, key) => (typeof key === 'number' ? `${shown}[${key}]` : shown === '' ? key : `${shown}.${key}`),
    '',
  );
}

function resolve(keys: string[], arrays: ReadonlyMap<string, number>): (string | number)[] {
  const path: (string | number)[] = [];
  keys.forEach((key, n) => {
    path.push(key);
    // A header under an array of tables (`[steps.gate]`) belongs to its latest element.
    const index = n < keys.length - 1 ? arrays.get(path.join('.')) : undefined;
    if (index !== undefined) path.push(index);
  });
  return path;
}

function splitKey(key: string): string[] {
  const parts: string[] = [];
  for (const match of key.matchAll(/"([^"]*)"|'([^']*)'|([^.\s"']+)/g))
    parts.push(match[1] ?? match[2] ?? match[3]!);
  return parts;
}

function commonPrefix(a: KeyPath, b: KeyPath): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

function countOf(text: string, needle: string): number {
  return text.split(needle).length - 1;
}
