// What a policy holds, for `gt policy explain` and the dashboard: every rule in force in order,
// and the budgets.
import type { Policy } from './load.js';
import { rulesOf } from './rules.js';
import type { Budgets } from './schema.js';
import type { ExplainedRule } from './types.js';

export function explainPolicy(policy: Policy): ExplainedRule[] {
  return rulesOf(policy).map((rule) => ({
    rule: rule.name,
    origin: rule.origin,
    decision: rule.decision,
    reason: rule.reason,
    match: rule.summary,
  }));
}

export function budgetsOf(policy: Policy): Budgets {
  return policy.budgets;
}
