// What a convoy formula's synthesis receives from its legs, when it starts: each leg's output file
// (under `[output]`, merged to the target branch and so in the synthesis's worktree) or, for a leg
// that left no such file, its final message — the agent's last message in the leg's successful
// session, else that session's summary, both from the ledger. The list is written into the
// synthesis bead's description (a `bead.updated` record), so every agent sees it in its task and
// `gt bd show` / the trace show what the synthesis was given.
import { lstatSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import type { Bead } from '../../beads/index.js';
import { stepInfo } from '../../formulas/index.js';
import { queryEvents } from '../../ledger/index.js';
import type { TownServices } from '../../town/services.js';

export const legReportsHeading = '## What the legs reported';
const maxMessage = 4000;

export interface LegReport {
  leg: string;
  bead: string;
  /** The leg's output file, when it is in the worktree. */
  file?: string;
  /** Otherwise its final message (or why there is none). */
  message?: string;
}

/** The synthesis's description with the legs' reports; undefined for any other bead. */
export async function synthesisDescription(
  town: TownServices,
  bead: Bead,
  worktree: string,
  actor: string,
): Promise<string | undefined> {
  if (stepInfo(bead)?.kind !== 'synthesis') return undefined;
  const reports = await legReports(town, bead, worktree);
  if (reports.length === 0) return undefined;
  const own = (bead.description ?? '').split(`\n\n${legReportsHeading}\n`)[0]!.trimEnd();
  const described = `${own}\n\n${legReportsHeading}\n\n${reports.map(reportText).join('\n\n')}\n`;
  if (described !== bead.description) await town.beads.update(bead.id, { description: described }, { actor });
  return described;
}

export async function legReports(town: TownServices, bead: Bead, worktree: string): Promise<LegReport[]> {
  const { dependencies } = await town.beads.dependencies(bead.id);
  const reports: LegReport[] = [];
  for (const { dependency, bead: leg } of dependencies) {
    if (dependency.type !== 'blocks' || !leg || stepInfo(leg)?.kind !== 'leg') continue;
    const step = stepInfo(leg)!.id;
    const file = outputOf(leg);
    if (file !== undefined && presentIn(worktree, file)) reports.push({ leg: step, bead: leg.id, file });
    else reports.push({ leg: step, bead: leg.id, message: finalMessage(town, leg.id) });
  }
  return reports;
}

function reportText(r: LegReport): string {
  if (r.file !== undefined) return `### ${r.leg} (${r.bead})\n\nIts findings: ${r.file}`;
  const quoted = (r.message ?? '')
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
  return `### ${r.leg} (${r.bead})\n\nNo output file; its final message:\n\n${quoted}`;
}

/** The leg's last successful session's final message (after its last tool call), else its summary. */
function finalMessage(town: TownServices, beadId: string): string {
  const ended = queryEvents(town.db, { beadId, kind: 'session.ended', newestFirst: true });
  const done = ended.find((e) => e.payload.outcome === 'success') ?? ended[0];
  if (!done) return '(the leg left no session in the ledger)';
  // Its final message: what it said after its last tool call (for the script agent: nothing).
  const inSession = (kind: string) =>
    queryEvents(town.db, { beadId, kind }).filter((e) => e.session_id === done.session_id);
  const lastTool = Math.max(0, ...inSession('tool.call').map((e) => e.seq));
  const said = inSession('agent.message')
    .filter((e) => e.seq > lastTool && typeof e.payload.text === 'string' && e.payload.text.trim() !== '')
    .at(-1);
  const summary = typeof done.payload.summary === 'string' ? done.payload.summary : '';
  const text = typeof said?.payload.text === 'string' ? said.payload.text : summary;
  return text.length > maxMessage ? `${text.slice(0, maxMessage)}…` : text.trim();
}

function outputOf(leg: Bead): string | undefined {
  const metadata = leg.extra.metadata;
  if (metadata === null || typeof metadata !== 'object') return undefined;
  const info = (metadata as { leg?: { output?: unknown } }).leg;
  return typeof info?.output === 'string' && info.output !== '' ? info.output : undefined;
}

/** A regular file at a relative path inside the worktree (a symlink or a path out does not count). */
function presentIn(worktree: string, file: string): boolean {
  const path = normalize(file);
  if (isAbsolute(path) || path.startsWith('..')) return false;
  try {
    return lstatSync(join(worktree, path)).isFile();
  } catch {
    return false;
  }
}
