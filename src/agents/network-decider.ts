// How an agent's egress gate asks about a destination: as a `network` tool call to the session's
// gateway, which judges it by the policy, parks an `ask` in the approvals queue and records it, like
// any other tool call. Shared by every runtime whose process sits behind a gate (claude-code, codex).
import type { EgressDecide } from '../sandbox/egress/index.js';
import type { ToolGateway } from './runtime.js';

/** Destinations as `network` calls to the gateway, which judges, parks asks and records them. */
export function networkDecider(tools: ToolGateway): EgressDecide {
  let count = 0;
  return async (request) => {
    const verdict = await tools.authorize({
      callId: `egress-${++count}`,
      tool: 'network',
      host: request.host,
      port: request.port,
      privateAddress: request.privateAddress,
      agentTool: request.via === 'connect' ? 'CONNECT' : 'HTTP',
    });
    return { decision: verdict.decision, rule: verdict.rule, reason: verdict.reason };
  };
}
