// Judges one tool call. Each subject (the file, or each part of a command) is decided by the first
// rule that matches it; the call gets the worst of those decisions (deny > ask > allow), naming the
// rule and, for commands, the part that made it.
import type { Policy } from './load.js';
import { resolveEnv } from './paths.js';
import type { ResolvedEnv } from './paths.js';
import type { Rule } from './rule.js';
import { rulesOf } from './rules.js';
import type { Subject } from './subject.js';
import { subjectsOf } from './subject.js';
import type { Decision, PolicyEnv, ToolCall } from './types.js';
import { severity } from './types.js';

export function evaluate(policy: Policy, call: ToolCall, env: PolicyEnv): Decision {
  const resolved = resolveEnv(env, policy.sandbox !== 'none');
  const rules = rulesOf(policy);
  let worst: Decision | undefined;
  for (const subject of subjectsOf(call, resolved)) {
    const decision = decide(rules, subject, resolved);
    if (!worst || severity(decision.decision) > severity(worst.decision)) worst = decision;
    if (worst.decision === 'deny') break;
  }
  return worst ?? decide(rules, { kind: 'bare', call }, resolved);
}

function decide(rules: readonly Rule[], subject: Subject, env: ResolvedEnv): Decision {
  const rule = rules.find((r) => r.matches(subject, env)) ?? rules[rules.length - 1];
  if (!rule) throw new Error('a policy always ends with its default rule');
  const decision: Decision = { decision: rule.decision, rule: rule.name, reason: rule.reason };
  if (subject.kind === 'command') decision.part = subject.part.text;
  return decision;
}
