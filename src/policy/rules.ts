// The rules in force for a policy, in order: the user's (first match wins), then the built-in
// profile when `extends_default` is on, then the default. Compiled once per policy object.
import { builtinRules } from './builtin/profile.js';
import type { Policy } from './load.js';
import type { Rule } from './rule.js';
import { compileUserRule } from './user-rules.js';

const compiled = new WeakMap<Policy, readonly Rule[]>();

export function rulesOf(policy: Policy): readonly Rule[] {
  let rules = compiled.get(policy);
  if (!rules) {
    rules = [
      ...policy.rules.map((rule, index) => compileUserRule(rule, index, policy.file)),
      ...(policy.extends_default ? builtinRules : []),
      {
        name: 'default',
        origin: 'default',
        decision: policy.default,
        reason: `no rule matched; the policy default is ${policy.default}`,
        summary: 'anything no rule above matched',
        matches: () => true,
      },
    ];
    compiled.set(policy, rules);
  }
  return rules;
}
