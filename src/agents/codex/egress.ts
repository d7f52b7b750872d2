// Codex's only way out of its sandbox: the session's egress gate (src/sandbox/egress). Codex talks
// to its model at the gate's model route with a per-session placeholder key (the gate puts the real
// one on and records every call as `model.request`); its PreToolUse hook posts to the gate's session
// route; anything else (a command's curl, through the proxy variables) is a `network` call the
// policy judges. The real key never enters the sandbox.
import { join } from 'node:path';
import {
  decideOncePerDestination,
  egressUrl,
  sessionRoutePrefix,
  startEgressGate,
} from '../../sandbox/index.js';
import type { EgressGate } from '../../sandbox/index.js';
import { networkDecider } from '../network-decider.js';
import type { SessionStart } from '../runtime.js';
import type { CodexProvider } from './command.js';
import type { HookDecision, HookServer } from './hook-server.js';
import { hookListener, newHookToken } from './hook-server.js';
import type { HookInput } from './tool-requests.js';

/** The variable Codex reads its (placeholder) key from inside the sandbox. */
export const insideKeyEnv = 'OPENAI_API_KEY';
/** Codex's own default endpoint, when town.yaml and the environment name none. */
export const defaultCodexBaseUrl = 'https://api.openai.com/v1';

export interface CodexGate {
  gate: EgressGate;
  /** The provider Codex is configured with: the gate's model route and the placeholder key's variable. */
  provider: CodexProvider;
  hooks: HookServer;
}

/** Starts the session's gate in `<town>/.gt/sessions/<session>` with the hook as its session route. */
export async function startCodexGate(input: {
  start: SessionStart;
  town: string;
  provider: CodexProvider;
  key: string | undefined;
  decideHook: (input: HookInput) => Promise<HookDecision>;
}): Promise<CodexGate> {
  const { start, provider } = input;
  const token = newHookToken();
  const gate = await startEgressGate({
    dir: join(input.town, '.gt', 'sessions', start.sessionId.replace(/[^A-Za-z0-9._-]/g, '_')),
    // The same judging as Claude Code's: a `network` call per destination, asked once per session.
    decide: decideOncePerDestination(networkDecider(start.tools)),
    record: (kind, payload) => start.tools.record?.(kind, payload),
    // A spent token or USD budget cuts a model call, counting what it has streamed so far.
    budget: (usage) => start.tools.modelBudget?.(usage.inputTokens + usage.outputTokens),
    model: {
      baseUrl: provider.baseUrl ?? defaultCodexBaseUrl,
      credential: { header: 'authorization', value: input.key ?? '' },
    },
    session: hookListener(input.decideHook, token),
  });
  return {
    gate,
    provider: { baseUrl: egressUrl, apiKeyEnv: insideKeyEnv, model: provider.model },
    hooks: { url: `${egressUrl}${sessionRoutePrefix}/pre-tool-use`, token, close: () => gate.close() },
  };
}
