// The policy: every tool call of every agent passes `evaluate` before it runs. policy.yaml holds
// ordered user rules (first match wins), then the built-in profile (worktree confinement, secrets,
// destructive and privileged commands, network), then a default. Shell commands are split into
// parts with a real tokenizer and judged by their worst part; paths are resolved (symlinks, `~`,
// `..`) before any rule sees them. Pure core: no terminal, HTTP or process I/O.
export { loadPolicy, defaultPolicy, parsePolicyText } from './load.js';
export type { Policy } from './load.js';
export { evaluate } from './evaluate.js';
export { explainPolicy, budgetsOf } from './explain.js';
export { addAllowRule } from './add-rule.js';
export type { AllowRuleInput, AddedRule } from './add-rule.js';
export { policyFileName, policySchema } from './schema.js';
export type { PolicyConfig, PolicyRule, RuleMatch, Budget, Budgets } from './schema.js';
export { decisionKinds } from './types.js';
export type { Decision, DecisionKind, ExplainedRule, PolicyEnv, RuleOrigin, ToolCall } from './types.js';
export { splitCommand } from './shell/split.js';
export { ShellSyntaxError } from './shell/cursor.js';
export type {
  CommandPart,
  CodeSource,
  PartVia,
  Redirect,
  Segment,
  SegmentKind,
  ShellWord,
} from './shell/types.js';
export { escapeGlob } from './glob.js';
export { polecatCommands } from './builtin/town-commands.js';
