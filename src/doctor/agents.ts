// Agent binaries: the ones the town's config names (its default agent's and every `command` in
// town.yaml `agents`) must be there; claude and codex on PATH are reported either way.
import { findExecutable } from '../roles/polecat/work-blockers.js';
import type { TownConfig } from '../town/index.js';
import { loadTownConfig } from '../town/index.js';
import type { DoctorCheck, Finding } from './types.js';
import { fail, ok } from './types.js';

const binaries = {
  'claude-code': { name: 'claude', install: 'npm install -g @anthropic-ai/claude-code' },
  codex: { name: 'codex', install: 'npm install -g @openai/codex' },
} as const;
type BinaryRuntime = keyof typeof binaries;

async function townConfig(root: string | undefined): Promise<TownConfig | undefined> {
  if (root === undefined) return undefined;
  try {
    return await loadTownConfig(root);
  } catch {
    return undefined; // the town-files check reports it
  }
}

export const agentsCheck: DoctorCheck = {
  name: 'agents',
  town: false,
  run: async (ctx) => {
    const config = await townConfig(ctx.root);
    const findings: Finding[] = [];
    for (const runtime of Object.keys(binaries) as BinaryRuntime[]) {
      const { name, install } = binaries[runtime];
      const command = config?.agents[runtime]?.command;
      const needed = command !== undefined || config?.default_agent === runtime;
      const check = `agent:${runtime}`;
      const found = findExecutable(command ?? name, ctx.env['PATH']);
      if (found !== undefined) findings.push(ok(check, `${command ?? name} found at ${found}`));
      else if (command !== undefined)
        findings.push(
          fail(
            check,
            `town.yaml agents.${runtime}.command is ${command}, which is not an executable`,
            `install it there, or fix agents.${runtime}.command in town.yaml`,
          ),
        );
      else if (needed)
        findings.push(
          fail(
            check,
            `town.yaml default_agent is ${runtime}, but \`${name}\` is not on PATH`,
            `run \`${install}\`, or set agents.${runtime}.command in town.yaml to its path`,
          ),
        );
      else findings.push(ok(check, `\`${name}\` not on PATH (needed only for the ${runtime} runtime)`));
    }
    return findings;
  },
};
