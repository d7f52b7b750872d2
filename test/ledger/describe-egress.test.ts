// The egress gate's events read as one line each in the feed and the trace: a connection with its
// rule and bytes, a refusal with its rule, a model call with its tokens, a refused or cut one.
import { describe, expect, it } from 'vitest';
import { describeEvent } from '../../src/ledger/index.js';
import type { LedgerEvent } from '../../src/ledger/index.js';

const event = (kind: string, payload: Record<string, unknown>) =>
  ({ kind, payload }) as unknown as LedgerEvent;

describe('egress events in words', () => {
  it('describes connections, refusals and model calls', () => {
    expect(
      describeEvent(
        event('network.connect', {
          host: 'pypi.org',
          port: 443,
          decision: 'allow',
          rule: 'approval:3',
          bytes_up: 517,
          bytes_down: 4096,
          duration_ms: 120,
        }),
      ),
    ).toBe('connected to pypi.org:443 (approval:3): 517 bytes up, 4096 down in 120 ms');
    expect(
      describeEvent(
        event('network.connect', {
          host: 'exfil.example.com',
          port: 443,
          decision: 'deny',
          rule: 'builtin:network-default',
          reason: 'hosts are denied unless a policy.yaml rule allows them',
        }),
      ),
    ).toMatch(/^refused exfil\.example\.com:443 \(builtin:network-default: hosts are denied/);
    expect(
      describeEvent(
        event('model.request', {
          method: 'POST',
          path: '/v1/messages',
          status: 200,
          model: 'claude-sonnet-4-5',
          tokens: { input: 1200, output: 80 },
          stop_reason: 'tool_use',
        }),
      ),
    ).toBe('model POST /v1/messages → 200 claude-sonnet-4-5, 1200+80 tokens, tool_use');
    expect(
      describeEvent(
        event('model.request', {
          method: 'POST',
          path: '/v1/messages',
          status: 401,
          refused: "not this session's key",
        }),
      ),
    ).toBe("model POST /v1/messages → 401 refused: not this session's key");
    expect(
      describeEvent(
        event('tool.call', {
          tool: 'network',
          host: 'pypi.org',
          port: 443,
          decision: 'ask',
          rule: 'builtin:network-registries',
        }),
      ),
    ).toBe('network: pypi.org:443 → ask (builtin:network-registries)');
  });
});
