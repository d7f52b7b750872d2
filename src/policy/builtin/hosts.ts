// Where the `network` tool may go (the egress gate asks for every destination but the model, whose
// own route holds the key and never reaches the policy). The host's loopback, link-local and
// private networks are denied unless a user rule names the host literally; the well-known package
// registries ask; every other host is denied. A `network` call without a host (an agent's own
// fetch tool) is left to the older `network` rule, which asks.
import { globToRegExp } from '../glob.js';
import { builtin } from '../rule.js';

/** Package registries a build commonly needs; an Overseer decides each session's first use. */
export const packageRegistries: readonly string[] = [
  'registry.npmjs.org',
  'registry.yarnpkg.com',
  'pypi.org',
  'files.pythonhosted.org',
  'crates.io',
  'static.crates.io',
  'index.crates.io',
  'proxy.golang.org',
  'sum.golang.org',
  'rubygems.org',
  'repo.maven.apache.org',
  'repo1.maven.org',
];

const registries = packageRegistries.map((host) => globToRegExp(host, 'text'));
const isDestination = (call: { tool: string; host?: string }) =>
  call.tool === 'network' && call.host !== undefined;

export const networkPrivate = builtin(
  'network-private',
  'deny',
  'the `network` tool to a loopback, link-local or private address (the host itself, its LAN, cloud metadata)',
  'the host and its private networks are out of reach unless a rule names the host',
  (s) => isDestination(s.call) && s.call.privateAddress === true,
);

export const networkRegistries = builtin(
  'network-registries',
  'ask',
  `the \`network\` tool to a package registry (${packageRegistries.join(', ')})`,
  'a package registry: the Overseer decides',
  (s) => isDestination(s.call) && registries.some((host) => host.test(s.call.host ?? '')),
);

export const networkDefault = builtin(
  'network-default',
  'deny',
  'the `network` tool to any other host',
  'hosts are denied unless a policy.yaml rule allows them (match: {tool: network, host: …})',
  (s) => isDestination(s.call),
);
