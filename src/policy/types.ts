// The policy's vocabulary: a tool call, the place it runs in, and the decision that names its rule.

/** Decisions from mildest to strictest; a command is judged by its worst part. */
export const decisionKinds = ['allow', 'ask', 'deny'] as const;
export type DecisionKind = (typeof decisionKinds)[number];

export function severity(kind: DecisionKind): number {
  return decisionKinds.indexOf(kind);
}

/** One call an agent wants to make. `tool` is `run`, `read`, `write`, `edit`, `search`, `network` or any name. */
export interface ToolCall {
  tool: string;
  command?: string;
  path?: string;
  /** The `network` tool: the destination the agent names (lower-case, no brackets) and its port. */
  host?: string;
  port?: number;
  /**
   * The destination is, or resolved to, a loopback, link-local or private address: only a rule
   * that names the host literally (no wildcard) may allow or ask it.
   */
  privateAddress?: boolean;
  agent?: string;
  rig?: string;
  role?: string;
}

/** Where the call runs. `cwd` defaults to the worktree; relative paths resolve against it. */
export interface PolicyEnv {
  worktree: string;
  home: string;
  townRoot: string;
  cwd?: string;
  /** Read-only places the agent may read like its worktree (other rigs mounted as context). */
  readOnly?: string[];
}

/** What the policy decided, and which rule decided it (`policy.yaml#rules[2]`, an id, `builtin:…`, `default`). */
export interface Decision {
  decision: DecisionKind;
  rule: string;
  reason: string;
  /** The part of a shell command that decided, when the call was a command. */
  part?: string;
}

export type RuleOrigin = 'user' | 'builtin' | 'default';

/** One rule in force, as `gt policy explain` shows it. */
export interface ExplainedRule {
  rule: string;
  origin: RuleOrigin;
  decision: DecisionKind;
  reason: string;
  /** What the rule matches, in words. */
  match: string;
}
