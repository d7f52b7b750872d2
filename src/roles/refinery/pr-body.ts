// What a pull request the Refinery opens says: the bead (title, id, description), who worked it,
// the check the town ran on exactly this commit, what the work cost, and where its trace is —
// so a reviewer on GitHub sees the town's record without asking for it. The trailer lets the
// town recognise its own pull requests.
import { loadTownConfig } from '../../town/config.js';
import { usageSpend } from '../budget/costs.js';
import type { MergeRequest } from './merge-queue.js';
import type { RefineryContext } from './refinery-context.js';

export async function prBody(ctx: RefineryContext, mr: MergeRequest, commit: string): Promise<string> {
  const bead = await ctx.town.beads.get(mr.bead_id);
  const spend = usageSpend(ctx.town.db, { bead: mr.bead_id });
  const port = (await loadTownConfig(ctx.root)).dashboard.port;
  const check = ctx.rig.check_command;
  return [
    `**Bead ${mr.bead_id}**${bead ? `: ${bead.title}` : ''}`,
    ...(bead?.description ? ['', bead.description.trim()] : []),
    '',
    `- Worked by \`${ctx.rig.name}/polecats/${mr.polecat}\` on \`${mr.branch}\`.`,
    `- Rebased onto \`${ctx.rig.branch}\` by ${ctx.actor} as ${commit.slice(0, 12)}; ${check ? `the check \`${check}\` passed on that commit` : 'the rig has no check configured'}.`,
    `- Cost: $${spend.usd.toFixed(4)} (${spend.tokens} tokens).`,
    `- Trace: \`gt trace ${mr.bead_id}\`${port > 0 ? ` · http://127.0.0.1:${port}/#/trace/${mr.bead_id} (the town's dashboard)` : ''}.`,
    '',
    `Gas-Town-Bead: ${mr.bead_id}`,
  ].join('\n');
}
