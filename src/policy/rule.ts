// A rule in force: user rules from policy.yaml, the built-in profile and the default all share this
// shape, so the engine and `gt policy explain` treat them alike.
import type { ResolvedEnv } from './paths.js';
import type { Subject } from './subject.js';
import type { DecisionKind, RuleOrigin } from './types.js';

export interface Rule {
  name: string;
  origin: RuleOrigin;
  decision: DecisionKind;
  reason: string;
  /** What the rule matches, in words. */
  summary: string;
  matches: (subject: Subject, env: ResolvedEnv) => boolean;
}

export function builtin(
  name: string,
  decision: DecisionKind,
  summary: string,
  reason: string,
  matches: Rule['matches'],
): Rule {
  return { name: `builtin:${name}`, origin: 'builtin', decision, reason, summary, matches };
}
