// What every runtime tells its agent about the session's context rigs: each one's name, the path it
// sees it at, its target branch and head commit, and that it is read-only reference. One text for all
// runtimes, so Claude Code, Codex, the model loops and the script runtime say the same. Also what a
// runtime that boxes its own agent process (claude-code, codex) hands the sandbox to mount.
import type { ContextRig } from '../sandbox/index.js';
import type { SessionContextRig, SessionStart } from './runtime.js';

/** The head as the prompt shows it. */
export const shortSha = (sha: string): string => sha.slice(0, 12);

/** The prompt's section on context rigs; undefined when the session has none. */
export function contextRigsText(rigs: readonly SessionContextRig[] | undefined): string | undefined {
  if (rigs === undefined || rigs.length === 0) return undefined;
  const lines = [
    'Context rigs: other repositories of the town this work needs to read. They are read-only',
    'reference: read, list and search them, but never change them (writes there fail); your own',
    'changes go in your worktree only.',
    ...rigs.map(
      (rig) =>
        `- ${rig.name}: ${rig.path} (branch ${rig.branch} at ${shortSha(rig.head)})` +
        (rig.note === undefined ? '' : ` (note: ${rig.note})`),
    ),
  ];
  return lines.join('\n');
}

/** The sandbox's read-only mounts for the session's context rigs (their snapshots on the host). */
export function contextMountsOf(start: Pick<SessionStart, 'contextRigs'>): ContextRig[] {
  return (start.contextRigs ?? []).map((rig) => ({ name: rig.name, path: rig.source }));
}
