// The words of a Mayor's report: a subject the feed can show in one line, and a body that says
// what was done (beads merged, with their commits), what is stuck and why, and what is still going.
import type { BeadFacts, ConvoyFacts, StuckItem } from './report-facts.js';

export interface ReportText {
  subject: string;
  body: string;
}

const short = (commit: string) => commit.slice(0, 12);

function doneLine(bead: BeadFacts): string {
  // A merge commit is named only when the town saw the merge (see report-facts.ts).
  const how = bead.mergedCommit
    ? `merged ${short(bead.mergedCommit)}${bead.prUrl ? ` (pull request ${bead.prUrl})` : ''}`
    : bead.prUrl
      ? `closed, pull request ${bead.prUrl} not seen merged`
      : 'closed';
  return `- ${bead.id} "${bead.title}" (${bead.rig}): ${how}`;
}

function stuckLine(item: StuckItem, bead: BeadFacts | undefined, fresh: boolean): string {
  const title = bead ? ` "${bead.title}" (${bead.rig})` : '';
  return `- ${item.beadId}${title}: ${item.reason} — ${item.summary}${fresh ? '' : ' (reported before)'}`;
}

export function landedReport(facts: ConvoyFacts): ReportText {
  const { convoy, total } = facts.progress;
  return {
    subject: `Convoy ${convoy.id} "${convoy.name}" landed: ${total} bead(s) done`,
    body: [
      `Convoy ${convoy.id} "${convoy.name}" has landed: every one of its ${total} bead(s) is done.`,
      '',
      ...facts.beads.map(doneLine),
    ].join('\n'),
  };
}

export function stuckReport(facts: ConvoyFacts, fresh: ReadonlySet<string>): ReportText {
  const { convoy, total, counts } = facts.progress;
  const byId = new Map(facts.beads.map((b) => [b.id, b]));
  const stuckBeads = new Set(facts.stuck.map((s) => s.beadId));
  const done = facts.beads.filter((b) => b.state === 'closed');
  const going = facts.beads.filter((b) => b.state !== 'closed' && !stuckBeads.has(b.id));
  const reasons = [...new Set(facts.stuck.map((s) => s.reason))].join(', ');
  return {
    subject: `Convoy ${convoy.id} "${convoy.name}" is stuck: ${stuckBeads.size} of ${total} bead(s) need you (${reasons})`,
    body: [
      `Convoy ${convoy.id} "${convoy.name}": ${counts.closed} of ${total} bead(s) done, ${stuckBeads.size} stuck.`,
      '',
      'Stuck:',
      ...facts.stuck.map((item) => stuckLine(item, byId.get(item.beadId), fresh.has(item.ref))),
      ...(done.length > 0 ? ['', 'Done:', ...done.map(doneLine)] : []),
      ...(going.length > 0
        ? ['', 'Still going:', ...going.map((b) => `- ${b.id} "${b.title}" (${b.rig}): ${b.state}`)]
        : []),
      '',
      'See `gt escalate list` and `gt trace <bead>`; the convoy carries on once they are resolved.',
    ].join('\n'),
  };
}
