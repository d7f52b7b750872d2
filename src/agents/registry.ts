// Runtimes by name, as `--agent` and `default_agent` name them.
import { invalidInput } from '../errors.js';
import type { AgentRuntime } from './runtime.js';
import { ScriptRuntime } from './script.js';

const factories: Record<string, () => AgentRuntime> = {
  script: () => new ScriptRuntime(),
};

export const runtimeNames = (): string[] => Object.keys(factories);

export function runtimeFor(name: string): AgentRuntime {
  const make = factories[name];
  if (!make) {
    throw invalidInput(`--agent: no runtime named ${name} (available: ${runtimeNames().join(', ')})`);
  }
  return make();
}
