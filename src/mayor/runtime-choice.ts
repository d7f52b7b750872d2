// Which runtime the Mayor thinks with: `--agent`, else town.yaml's `mayor.agent`, else the town's
// `default_agent` (which is the polecats' runtime, so a town of script polecats names its Mayor's
// model in `mayor.agent`). The Mayor plans, so it needs a model: the script runtime is refused with
// how to configure one. `mayor.model` replaces the chosen agent's model for the Mayor only.
import type { AgentConfig } from '../agents/index.js';
import { invalidInput } from '../errors.js';
import type { TownConfig } from '../town/config.js';
import { agentConfigOf, agentNames, mayorAgentNames } from '../town/config.js';

export const mayorRuntimes = mayorAgentNames;
export type MayorRuntime = (typeof mayorRuntimes)[number];

export interface MayorRuntimeChoice {
  name: MayorRuntime;
  config: AgentConfig;
}

export function chooseMayorRuntime(config: TownConfig, agent?: string): MayorRuntimeChoice {
  const name = agent ?? config.mayor?.agent ?? config.default_agent;
  if (!(agentNames as readonly string[]).includes(name))
    throw invalidInput(`--agent: no runtime named ${name} (the Mayor runs ${mayorRuntimes.join(', ')})`);
  if (!(mayorRuntimes as readonly string[]).includes(name)) {
    const why =
      name === 'script'
        ? 'the script runtime has no model'
        : `the ${name} runtime cannot serve the Mayor's tools yet`;
    throw invalidInput(
      [
        `the Mayor needs a model runtime, and ${why} (default_agent: ${config.default_agent}).`,
        'Give the Mayor its own in town.yaml (polecats keep default_agent), for example:',
        '  mayor:',
        '    agent: anthropic',
        '  agents:',
        '    anthropic: {model: claude-sonnet-4-5, api_key_env: ANTHROPIC_API_KEY}',
        '(or openai with base_url for Ollama, vLLM, llama.cpp; or claude-code), or pass --agent anthropic|openai|claude-code.',
      ].join('\n'),
    );
  }
  const runtimeConfig = agentConfigOf(config, name);
  const model = agent === undefined || agent === config.mayor?.agent ? config.mayor?.model : undefined;
  return {
    name: name as MayorRuntime,
    config: model === undefined ? runtimeConfig : { ...runtimeConfig, model },
  };
}
