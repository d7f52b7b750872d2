// Descriptors a child would inherit without anyone meaning it to: whatever our own launcher left open
// without close-on-exec. bwrap passes every open descriptor on to the step, so a step could write into
// a pipe of the process that started the town. The supervisor covers each such slot with /dev/null.
import { readFileSync, readdirSync } from 'node:fs';

const closeOnExec = 0o2000000;

function flagsOf(fd: number): number | undefined {
  try {
    const match = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
    return match?.[1] === undefined ? undefined : parseInt(match[1], 8);
  } catch {
    return undefined;
  }
}

/** Our descriptors above stderr that lack close-on-exec, so a spawned child would get them (Linux). */
export function inheritableFds(): number[] {
  let names: string[];
  try {
    names = readdirSync('/proc/self/fdinfo');
  } catch {
    return [];
  }
  return names
    .map(Number)
    .filter((fd) => Number.isInteger(fd) && fd > 2)
    .filter((fd) => {
      const flags = flagsOf(fd);
      return flags !== undefined && (flags & closeOnExec) === 0;
    })
    .sort((a, b) => a - b);
}

export type StdioItem = 'ignore' | 'pipe' | number;
/** stdin ignored, stdout and stderr piped, then anything beyond. */
export type StdioArray = ['ignore', 'pipe', 'pipe', ...StdioItem[]];

/**
 * The stdio array for a child: `base` first, then `devNull` at every slot in `leaked` (beyond the
 * base), so the child sees /dev/null there instead of our inherited descriptor.
 */
export function coverLeakedFds(base: StdioArray, leaked: readonly number[], devNull: number): StdioArray {
  const stdio: StdioArray = [...base];
  for (const fd of leaked) {
    if (fd < base.length) continue;
    while (stdio.length < fd) stdio.push('ignore');
    stdio[fd] = devNull;
  }
  return stdio;
}
