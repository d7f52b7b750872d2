// The `network` tool's destinations (what the egress gate asks about): the built-in profile denies
// the host's own and private networks, asks about package registries and denies every other host;
// policy.yaml rules match `host` (a glob, any case) and `port`, and a private destination is opened
// only by a rule that names its host literally.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Policy, ToolCall } from '../../src/policy/index.js';
import { addAllowRule, defaultPolicy, evaluate, loadPolicy } from '../../src/policy/index.js';
import { removeTempDirs } from '../support/temp.js';
import type { PolicyFixture } from './fixture.js';
import { makePolicyFixture } from './fixture.js';

let fx: PolicyFixture;
beforeAll(async () => {
  fx = await makePolicyFixture();
});
afterAll(removeTempDirs);

let count = 0;
function policy(yaml: string): Policy {
  const file = join(fx.town, `policy-net-${count++}.yaml`);
  writeFileSync(file, yaml);
  return loadPolicy(file);
}
const net = (host: string, port = 443, privateAddress = false): ToolCall => ({
  tool: 'network',
  host,
  port,
  privateAddress,
});
const decide = (p: Policy, call: ToolCall) => evaluate(p, call, fx.env);

describe('the network tool', () => {
  it('by default: registries ask, private addresses and every other host are denied, each naming its rule', () => {
    const p = defaultPolicy();
    expect(decide(p, net('registry.npmjs.org'))).toMatchObject({
      decision: 'ask',
      rule: 'builtin:network-registries',
    });
    expect(decide(p, net('files.pythonhosted.org'))).toMatchObject({ decision: 'ask' });
    expect(decide(p, net('exfil.example.com'))).toMatchObject({
      decision: 'deny',
      rule: 'builtin:network-default',
    });
    expect(decide(p, net('127.0.0.1', 8080, true))).toMatchObject({
      decision: 'deny',
      rule: 'builtin:network-private',
    });
    // A registry's name that resolves to a private address is still private.
    expect(decide(p, net('registry.npmjs.org', 443, true))).toMatchObject({
      rule: 'builtin:network-private',
    });
  });

  it('matches a host glob in any case, and a port or list of ports', () => {
    const p = policy(`
rules:
  - id: example
    match: { tool: network, host: "*.Example.com", port: [443, 8443] }
    decision: allow
    reason: our API
`);
    expect(decide(p, net('api.example.com'))).toMatchObject({ decision: 'allow', rule: 'example' });
    expect(decide(p, net('A.B.EXAMPLE.COM', 8443))).toMatchObject({ decision: 'allow' });
    expect(decide(p, net('api.example.com', 80))).toMatchObject({ rule: 'builtin:network-default' });
    expect(decide(p, net('example.com'))).toMatchObject({ rule: 'builtin:network-default' });
    expect(decide(p, net('api.example.com.evil.org'))).toMatchObject({ rule: 'builtin:network-default' });
    // A host rule is about the network tool only: a command never matches it.
    expect(decide(p, { tool: 'run', command: 'echo hi' })).not.toMatchObject({ rule: 'example' });
  });

  it('opens a private destination only to a rule that names it literally', () => {
    const p = policy(`
rules:
  - id: everything
    match: { tool: network, host: "*" }
    decision: allow
    reason: too broad for the host's own network
  - id: db
    match: { tool: network, host: "10.0.0.5" }
    decision: allow
    reason: the test database
`);
    expect(decide(p, net('pypi.org'))).toMatchObject({ rule: 'everything' });
    expect(decide(p, net('127.0.0.1', 22, true))).toMatchObject({
      decision: 'deny',
      rule: 'builtin:network-private',
    });
    expect(decide(p, net('10.0.0.5', 5432, true))).toMatchObject({ decision: 'allow', rule: 'db' });
  });

  it('names the file, rule and field of a bad port', () => {
    expect(() =>
      policy(`
rules:
  - match: { tool: network, host: pypi.org, port: 70000 }
    decision: allow
    reason: bad port
`),
    ).toThrow(/rules\.0\.match\.port|rules\[0\]\.match\.port|port/);
  });
});

describe('gt approve --always on a network destination', () => {
  it('writes a host rule that lets the destination through from then on', () => {
    const file = join(fx.town, `policy-net-always.yaml`);
    writeFileSync(file, '');
    const added = addAllowRule(
      file,
      { rig: 'alpha', tool: 'network', host: 'registry.npmjs.org' },
      'approved',
    );
    expect(added).toEqual({ rule: 'policy-net-always.yaml#rules[0]', added: true });
    const p = loadPolicy(file);
    expect(decide(p, { ...net('registry.npmjs.org'), rig: 'alpha' })).toMatchObject({ decision: 'allow' });
    expect(decide(p, { ...net('registry.npmjs.org'), rig: 'beta' })).toMatchObject({ decision: 'ask' });
  });
});
