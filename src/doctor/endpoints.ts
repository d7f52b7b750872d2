// Model endpoints: each `base_url` in town.yaml `agents` answers HTTP within a short timeout, and
// the variable that holds its key is set. The key itself is never read into a message.
import type { TownConfig } from '../town/index.js';
import { loadTownConfig } from '../town/index.js';
import type { DoctorCheck, Finding } from './types.js';
import { errorMessage, fail, ok, warn } from './types.js';

/** The key variable each runtime reads when town.yaml names none. */
const defaultKeyEnv: Record<string, string> = {
  openai: 'OPENAI_API_KEY',
  codex: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  'claude-code': 'ANTHROPIC_API_KEY',
};

async function reachable(url: string, timeoutMs: number): Promise<string | undefined> {
  try {
    const response = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return undefined;
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${errorMessage(error)}${cause}`;
  }
}

export const endpointsCheck: DoctorCheck = {
  name: 'endpoints',
  town: true,
  run: async (ctx) => {
    let config: TownConfig;
    try {
      config = await loadTownConfig(ctx.root!);
    } catch {
      return []; // the town-files check reports it
    }
    const findings: Finding[] = [];
    for (const [runtime, agent] of Object.entries(config.agents)) {
      if (agent.base_url === undefined) continue;
      const check = `endpoint:${runtime}`;
      const problem = await reachable(agent.base_url, ctx.endpointTimeoutMs);
      if (problem !== undefined) {
        findings.push(
          fail(
            check,
            `${agent.base_url} (agents.${runtime}.base_url) is unreachable: ${problem}`,
            `start the model server there, or fix agents.${runtime}.base_url in town.yaml`,
          ),
        );
        continue;
      }
      const keyEnv = agent.api_key_env ?? defaultKeyEnv[runtime];
      if (keyEnv !== undefined && (ctx.env[keyEnv] ?? '') === '')
        findings.push(
          warn(
            check,
            `${agent.base_url} answers, but $${keyEnv} (its key) is not set`,
            `export ${keyEnv}=<key> before \`gt up\` (a local server that needs no key can ignore this)`,
          ),
        );
      else findings.push(ok(check, `${agent.base_url} answers${keyEnv ? `; $${keyEnv} is set` : ''}`));
    }
    if (findings.length === 0) findings.push(ok('endpoints', 'no model endpoint configured in town.yaml'));
    return findings;
  },
};
