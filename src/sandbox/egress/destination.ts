// Deciding a destination and finding where to connect. The policy is asked before any name is
// resolved, so a denied host costs no DNS query (a query is itself a way out: a hostile name can
// carry data to its nameserver). A name that resolves to a private address is asked about again,
// flagged, so only a policy that names it explicitly lets the connection through.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isPrivateAddress } from './addresses.js';
import type { EgressDecide, EgressDecision, EgressRequest } from './types.js';

export type Lookup = (host: string) => Promise<string[]>;

export const defaultLookup: Lookup = async (host) =>
  (await dnsLookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

/** `host:port` (with `[v6]:port`) as a CONNECT line gives it; undefined when malformed. */
export function parseAuthority(
  authority: string,
  defaultPort?: number,
): { host: string; port: number } | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]/\s@]+))(?::(\d{1,5}))?$/.exec(authority);
  if (!match) return undefined;
  const host = (match[1] ?? match[2] ?? '').toLowerCase().replace(/\.$/, '');
  const port = match[3] === undefined ? defaultPort : Number(match[3]);
  if (host === '' || port === undefined || port < 1 || port > 65535) return undefined;
  return { host, port };
}

const localNames = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);

function literallyPrivate(host: string): boolean {
  if (localNames.has(host) || host.endsWith('.localhost')) return true;
  return isIP(host) !== 0 && isPrivateAddress(host);
}

export type Resolved =
  | { ok: true; decision: EgressDecision; request: EgressRequest; address: string }
  | { ok: false; decision: EgressDecision; request: EgressRequest; status: number };

/** Asks, resolves, and asks again when the name turns out to be private. */
export async function resolveDestination(
  target: { host: string; port: number; via: EgressRequest['via'] },
  decide: EgressDecide,
  lookup: Lookup,
): Promise<Resolved> {
  let request: EgressRequest = { ...target, privateAddress: literallyPrivate(target.host) };
  let decision = await decide(request);
  if (decision.decision !== 'allow') return { ok: false, decision, request, status: 403 };
  let addresses: string[];
  try {
    addresses = isIP(target.host) !== 0 ? [target.host] : await lookup(target.host);
  } catch (error) {
    const reason = `cannot resolve ${target.host}: ${error instanceof Error ? error.message : String(error)}`;
    return { ok: false, decision: { ...decision, reason }, request, status: 502 };
  }
  const address = addresses[0];
  if (address === undefined) {
    return {
      ok: false,
      decision: { ...decision, reason: `${target.host} has no address` },
      request,
      status: 502,
    };
  }
  if (!request.privateAddress && addresses.some(isPrivateAddress)) {
    request = { ...request, privateAddress: true };
    decision = await decide(request);
    if (decision.decision !== 'allow') return { ok: false, decision, request, status: 403 };
  }
  return { ok: true, decision, request, address };
}
