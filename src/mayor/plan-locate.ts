// Maps a path into the plan (`beads[2].rig`) to the line of the YAML file it came from, so every
// error names `plan.yaml:14: beads[2].rig: …`. A path that is not in the file (a missing field)
// points at the nearest enclosing node that is.
import type { Document, LineCounter } from 'yaml';
import { isMap, isNode } from 'yaml';

export type PlanPath = readonly PropertyKey[];

export interface PlanSource {
  /** The name errors start with: the file as given, or `plan` for text. */
  name: string;
  doc: Document;
  lines: LineCounter;
}

/** `beads[2].depends_on[0]`: how a path reads in an error. */
export function formatPath(path: PlanPath): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? String(part) : `.${String(part)}`;
  }
  return text;
}

/** True when the file has a node at `path`. */
export function hasNode(source: PlanSource, path: PlanPath): boolean {
  return isNode(source.doc.getIn(path as unknown[], true));
}

/** The 1-based line of `path` (of its key, with `key`: an unknown key inside the map at `path`). */
export function lineOf(source: PlanSource, path: PlanPath, key?: string): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node: unknown = depth === 0 ? source.doc.contents : source.doc.getIn(path.slice(0, depth), true);
    if (!isNode(node)) continue;
    let offset = node.range?.[0];
    if (key !== undefined && depth === path.length && isMap(node)) {
      const pair = node.items.find((item) => isNode(item.key) && item.key.toJSON() === key);
      if (pair && isNode(pair.key)) offset = pair.key.range?.[0] ?? offset;
    }
    if (offset !== undefined) return source.lines.linePos(offset).line;
  }
  return 1;
}

/** `plan.yaml:14: beads[2].rig: no rig named "api" in this town`. */
export function planError(source: PlanSource, path: PlanPath, message: string, key?: string): string {
  const where = formatPath(key === undefined ? path : [...path, key]);
  return `${source.name}:${lineOf(source, path, key)}: ${where === '' ? '' : `${where}: `}${message}`;
}
