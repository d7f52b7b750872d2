// The egress gate: the only way a sandboxed agent reaches the network. A sandbox with
// `SandboxSpec.egress` has its own network namespace (a private loopback, no route out, no DNS);
// its first process is the bridge, which listens on 127.0.0.1:8377 inside and pipes every
// connection to the session's gate, a unix socket in the session's own 0700 directory on the host.
//
// Usage (host side, one gate per session):
//   const gate = await startEgressGate({
//     dir: '<town>/.gt/sessions/<id>',          // created 0700; the socket goes inside
//     decide: async (req) => …,                  // policy for every destination but the model
//     record: (kind, payload) => ledger.append(…),
//     model: { baseUrl, credential: { header: 'x-api-key', value: realKey } },
//     budget: (inFlight) => reason | undefined,  // optional; cuts a streamed reply
//     session: (req, res) => …,                  // optional; requests under /__gastown/
//   });
//   spec.egress = { socket: gate.socket, bridge: findBridgeScript(), node: process.execPath };
//   agent env: ANTHROPIC_BASE_URL=egressUrl, ANTHROPIC_API_KEY=gate.placeholderKey
//   (HTTP(S)_PROXY / NO_PROXY are set by the sandbox itself: egressEnv()).
//   … await gate.close() when the session ends.
//
// What the gate answers, by request target:
// - `CONNECT host:port` (HTTPS_PROXY) and `GET http://host/…` (HTTP_PROXY): `decide` is asked before
//   any DNS lookup; an address that is loopback, link-local or private is asked again with
//   `privateAddress: true` (allow it only when the policy names the host). Refusals answer 403 with
//   the rule in the body and an `x-gastown-rule` header. Each attempt is one `network.connect` event
//   (host, port, via, decision, rule, bytes_up, bytes_down, duration_ms).
// - `/__gastown/…`: the session's own routes (`gt hook`, the forwarding shims), prefix stripped.
// - any other relative URI: the model route. The placeholder key must be on the request (x-api-key
//   or bearer); the real credential replaces it on the way out. Each call is one `model.request`
//   event (path, model, status, tokens, stop_reason, bytes, duration; `stopped` when the budget cut
//   it). The ledger redacts payloads as it appends them.
export { startEgressGate, sessionRoutePrefix } from './gate.js';
export { decideOncePerDestination } from './decisions.js';
export { egressInside, egressUrl, egressEnv, findBridgeScript } from './inside.js';
export { isPrivateAddress } from './addresses.js';
export { networkConnectKind } from './proxy.js';
export { modelRequestKind } from './model-route.js';
export { SseUsageReader } from './model-usage.js';
export type { ModelUsage } from './model-usage.js';
export type {
  EgressDecide,
  EgressDecision,
  EgressGate,
  EgressGateOptions,
  EgressRecord,
  EgressRequest,
  ModelBudget,
  ModelEndpoint,
  SessionListener,
} from './types.js';
