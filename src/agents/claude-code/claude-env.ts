// The environment `claude` runs with: an allowlist, never the caller's environment (which holds the
// host's npm, cloud and CI settings and the keys of every provider). Claude gets PATH, HOME and its
// state dir in the town, LANG, TERM, TMPDIR, the town's GT_* coordinates, the hook's address and
// token, its model endpoint and key, and the caller's non-secret CLAUDE_* / model-choice settings.
// In the sandbox the endpoint is the egress gate and the key a per-session placeholder: the real
// key stays with the gate (model-endpoint.ts). On the host (`sandbox: none`) the real ones go in.
import { scrubEnv } from '../../sandbox/index.js';
import { hookTimeoutEnv, hookTokenEnv, hookUrlEnv } from './hook-protocol.js';

/** Set by a Claude Code that runs us; a child must not think it is nested in that session. */
const inherited = new Set([
  'CLAUDECODE',
  'CLAUDE_CODE_ENTRYPOINT',
  'CLAUDE_CODE_SESSION_ID',
  'CLAUDE_CODE_CHILD_SESSION',
  'CLAUDE_CODE_EXECPATH',
  'CLAUDE_PROJECT_DIR',
  'CLAUDE_CONFIG_DIR',
]);

/** Ours, set below from the session; the caller's values are ignored. */
const ours = new Set(['CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC', 'DISABLE_AUTOUPDATER']);

/** Settings that only choose a model; everything else named ANTHROPIC_* stays out. */
const modelChoices = new Set([
  'ANTHROPIC_MODEL',
  'ANTHROPIC_SMALL_FAST_MODEL',
  'ANTHROPIC_DEFAULT_OPUS_MODEL',
  'ANTHROPIC_DEFAULT_SONNET_MODEL',
  'ANTHROPIC_DEFAULT_HAIKU_MODEL',
]);

/** Settings whose names look secret (TOKEN) but hold a number: let through by name. */
const tokenCounts = ['CLAUDE_CODE_MAX_OUTPUT_TOKENS', 'MAX_THINKING_TOKENS'];

/** The town's coordinates for `gt`/`bd` inside the session (agent-env.ts sets them). */
const townNames = new Set(['GT_TOWN', 'GT_SESSION', 'GT_BEAD', 'GT_RIG', 'GT_POLECAT', 'GT_ACTOR']);

/** How Claude reaches its model: the endpoint and the variable and value of its key. */
export interface ClaudeModelAccess {
  baseUrl?: string;
  key?: { name: string; value: string };
  /** Further variables the provider needs on the host (Bedrock's, Vertex's); secrets let through. */
  extra?: Record<string, string>;
}

export interface ClaudeEnvInput {
  base: Record<string, string>;
  /** PATH as Claude should see it. */
  path: string;
  /** Claude Code's own state (settings, transcripts for --resume); also its HOME. */
  stateDir: string;
  hook: { url: string; token: string; waitMs: number };
  model: ClaudeModelAccess;
}

/** The caller's CLAUDE_* settings Claude may see: none of a parent session's, none secret-looking. */
function claudeSettingsOf(base: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    const setting = name.startsWith('CLAUDE_') && !inherited.has(name) && !ours.has(name);
    if (setting || modelChoices.has(name) || tokenCounts.includes(name)) kept[name] = value;
  }
  // Secret-looking names (CLAUDE_CODE_OAUTH_TOKEN, …) go: the key comes from `model` only.
  return scrubEnv(kept, tokenCounts);
}

/** The variables and the secret names let through (the sandbox scrubs the rest again). */
export function claudeEnv(input: ClaudeEnvInput): { env: Record<string, string>; allow: string[] } {
  const { base } = input;
  const env: Record<string, string> = {
    PATH: input.path,
    LANG: base['LANG'] ?? 'C.UTF-8',
    TERM: base['TERM'] ?? 'dumb',
    TMPDIR: '/tmp',
    ...Object.fromEntries(Object.entries(base).filter(([name]) => townNames.has(name))),
    ...claudeSettingsOf(base),
    ...input.model.extra,
    ...(input.model.baseUrl === undefined ? {} : { ANTHROPIC_BASE_URL: input.model.baseUrl }),
    ...(input.model.key === undefined ? {} : { [input.model.key.name]: input.model.key.value }),
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CONFIG_DIR: input.stateDir,
    HOME: input.stateDir,
    [hookUrlEnv]: input.hook.url,
    [hookTokenEnv]: input.hook.token,
    [hookTimeoutEnv]: String(input.hook.waitMs),
  };
  const allow = [
    hookTokenEnv,
    ...tokenCounts,
    ...(input.model.key === undefined ? [] : [input.model.key.name]),
    ...Object.keys(input.model.extra ?? {}),
  ];
  return { env: scrubEnv(env, allow), allow };
}
