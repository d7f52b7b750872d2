// The egress gate's vocabulary: what it asks its owner about a destination, what it is told, what it
// records, and where the model's real endpoint and credential are.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ModelUsage } from './model-usage.js';

/** One destination an agent wants to reach through the gate (anything but the model route). */
export interface EgressRequest {
  /** As the agent named it: a DNS name or an IP literal, lower-cased, no brackets. */
  host: string;
  port: number;
  /** `connect`: an HTTPS_PROXY tunnel; `forward`: a plain-HTTP proxy request. */
  via: 'connect' | 'forward';
  /**
   * The host is, or resolved to, a loopback, link-local or private address. The owner should allow
   * such a destination only when its policy names the host explicitly.
   */
  privateAddress: boolean;
}

/** The owner's answer: `ask` is resolved (by the Overseer) before it comes back. */
export interface EgressDecision {
  decision: 'allow' | 'deny';
  /** The rule that decided (`builtin:network-default`, `policy.yaml#rules[0]`, `approval:12`). */
  rule: string;
  reason: string;
}

export type EgressDecide = (request: EgressRequest) => Promise<EgressDecision>;

/** Appends one event for the session (`network.connect`, `model.request`); the ledger redacts it. */
export type EgressRecord = (kind: string, payload: Record<string, unknown>) => void;

/** The agent's real model endpoint and the credential the gate puts on each request. */
export interface ModelEndpoint {
  /** `https://api.anthropic.com`, `http://127.0.0.1:8080/v1`…; request paths are appended. */
  baseUrl: string;
  /** `x-api-key: <key>` (ANTHROPIC_API_KEY) or `authorization: Bearer <token>` (everything else). */
  credential: { header: 'x-api-key' | 'authorization'; value: string };
}

/**
 * Why a model call must stop, if it must: called before the request goes out (with zero usage) and
 * again whenever the streamed reply reports more usage.
 */
export type ModelBudget = (inFlight: Readonly<ModelUsage>) => string | undefined;

/** A request under `/__gastown/`, handed over with that prefix removed from `req.url`. */
export type SessionListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface EgressGateOptions {
  /**
   * The session's own directory under the town; made 0700 and owned by us, the socket goes inside
   * (a private temporary directory instead when the path is too long for a unix socket).
   */
  dir: string;
  decide: EgressDecide;
  record: EgressRecord;
  /** Where relative-URI requests go; without it they are refused. */
  model?: ModelEndpoint;
  budget?: ModelBudget;
  /** The session's own routes (`gt hook`, the forwarding shims). */
  session?: SessionListener;
  /** Name resolution, for tests; default `dns.lookup` with every address. */
  lookup?: (host: string) => Promise<string[]>;
  /** How long a tunnel's upstream connection may take to open (default 15 s). */
  connectTimeoutMs?: number;
}

export interface EgressGate {
  /** The unix socket on the host; bind it into the sandbox at `egressInside.socket`. */
  socket: string;
  /** The key the agent gets instead of the real one; only this gate accepts it. */
  placeholderKey: string;
  close(): Promise<void>;
}
