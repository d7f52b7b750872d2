// The Claude session's egress gate: every destination but the model is a `network` tool call put
// to the session's gateway (policy, approvals queue, ledger), once per destination; the gate's
// records go to the session's ledger; a model call is cut when the gateway says a token or USD
// budget is spent. The gate's socket lives in `<town>/.gt/sessions/<session>/`.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decideOncePerDestination, startEgressGate } from '../../sandbox/index.js';
import type { EgressGate, SessionListener } from '../../sandbox/egress/index.js';
import { networkDecider } from '../network-decider.js';
import type { SessionStart } from '../runtime.js';
import type { GatedModel } from './model-endpoint.js';

function gateDirOf(start: SessionStart): string {
  const town = start.env['GT_TOWN'];
  const name = start.sessionId.replace(/[^A-Za-z0-9._-]/g, '_');
  return town === undefined ? mkdtempSync(join(tmpdir(), 'gt-egress-')) : join(town, '.gt', 'sessions', name);
}

export function startClaudeGate(
  start: SessionStart,
  model: GatedModel,
  session: SessionListener,
): Promise<EgressGate> {
  const tools = start.tools;
  return startEgressGate({
    dir: gateDirOf(start),
    decide: decideOncePerDestination(networkDecider(tools)),
    record: (kind, payload) => tools.record?.(kind, payload),
    model: model.endpoint,
    ...(tools.modelBudget === undefined
      ? {}
      : { budget: (usage) => tools.modelBudget?.(usage.inputTokens + usage.outputTokens) }),
    session,
  });
}
