// What the polecat is told when its work goes back for rework: the files that conflicted with the
// target, or the check's command, exit code and output tail. The same facts go to the ledger.
import type { MergeRequest } from './merge-queue.js';
import type { Candidate } from './refinery-candidate.js';
import type { RefineryContext } from './refinery-context.js';

type Rework = Exclude<Candidate, { kind: 'ready' }>;

export function reworkComment(ctx: RefineryContext, mr: MergeRequest, candidate: Rework): string {
  const target = `${ctx.rig.branch} (${candidate.onto.slice(0, 12)})`;
  if (candidate.kind === 'conflict') {
    return [
      `Refinery: ${mr.branch} does not rebase cleanly onto ${target}. Conflicting files:`,
      ...candidate.files.map((file) => `- ${file}`),
      '',
      `Rebase the branch onto ${ctx.rig.branch}, resolve these, and mark the bead done again.`,
    ].join('\n');
  }
  const check = candidate.check;
  const how = check.timedOut ? 'timed out' : `exited ${check.exitCode}`;
  const output = check.output === '' ? '(no output)' : check.output;
  return [
    `Refinery: the check \`${check.command}\` ${how} on ${mr.branch} rebased onto ${target}.`,
    `Nothing was merged. Last output:`,
    output,
  ].join('\n');
}

export function reworkPayload(candidate: Rework): Record<string, unknown> {
  if (candidate.kind === 'conflict')
    return { reason: 'conflict', onto: candidate.onto, files: candidate.files };
  return {
    reason: 'check_failed',
    onto: candidate.onto,
    commit: candidate.commit,
    check: candidate.check.command,
    exit_code: candidate.check.exitCode,
    timed_out: candidate.check.timedOut,
    output: candidate.check.output,
  };
}
