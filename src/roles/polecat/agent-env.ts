// The environment an agent process starts with: the caller's (the agent reads its provider's
// endpoint and key from it) plus the town's coordinates, so `gt` and `bd` run inside the session
// act on this town, this bead and this polecat: the town's `gt` and `bd` shims (agent-shims.ts) come
// first on PATH.
import { delimiter } from 'node:path';
import { shimDir } from '../../agents/shims.js';

export interface AgentEnvInput {
  root: string;
  sessionId: string;
  beadId: string;
  rig: string;
  polecat: string;
  base: Record<string, string | undefined>;
}

export function agentEnv(input: AgentEnvInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.base)) if (value !== undefined) env[name] = value;
  const path = env.PATH === undefined || env.PATH === '' ? [] : [env.PATH];
  return {
    ...env,
    PATH: [shimDir(input.root), ...path].join(delimiter),
    GT_TOWN: input.root,
    GT_SESSION: input.sessionId,
    GT_BEAD: input.beadId,
    GT_RIG: input.rig,
    GT_POLECAT: input.polecat,
    GT_ACTOR: `${input.rig}/polecats/${input.polecat}`,
  };
}
