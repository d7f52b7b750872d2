// Turns policy.yaml rules into matchers. Every field a rule names must match (and a call that lacks
// the field does not match). `command` is tested against each part of a command; `path` against
// the resolved path of a file call, or a command part's operands: all of them for an allow rule
// (so allowing one path never lets another through), any of them for deny and ask.
import { basename, isAbsolute } from 'node:path';
import { globPrefix, globToRegExp } from './glob.js';
import type { ResolvedEnv } from './paths.js';
import { realpathLongest } from './paths.js';
import type { Rule } from './rule.js';
import type { PolicyRule, RuleMatch } from './schema.js';
import { parseRegexForm, userRuleName } from './schema.js';
import type { Subject } from './subject.js';
import { known } from './subject.js';

export function compileUserRule(rule: PolicyRule, index: number, file: string | undefined): Rule {
  const { match } = rule;
  const tools =
    match.tool === undefined ? undefined : [match.tool].flat().map((t) => globToRegExp(t, 'text'));
  const command =
    match.command === undefined
      ? undefined
      : (parseRegexForm(match.command) ?? globToRegExp(match.command, 'text'));
  const texts = (['agent', 'rig', 'role'] as const).flatMap((field) => {
    const pattern = match[field];
    return pattern === undefined ? [] : [{ field, regex: globToRegExp(pattern, 'text') }];
  });
  const paths = match.path === undefined ? undefined : pathMatcher(match.path);
  const destination = destinationMatcher(match, rule.decision);
  return {
    name: userRuleName(rule, index, file === undefined ? undefined : basename(file)),
    origin: 'user',
    decision: rule.decision,
    reason: rule.reason,
    summary: summarize(match),
    matches: (s, env) => {
      if (tools && !tools.some((t) => t.test(s.call.tool))) return false;
      if (!texts.every(({ field, regex }) => s.call[field] !== undefined && regex.test(s.call[field])))
        return false;
      if (command && (s.kind !== 'command' || !command.test(s.part.text))) return false;
      if (!destination(s.call)) return false;
      return paths === undefined || pathsMatch(s, env, paths, rule.decision === 'allow');
    },
  };
}

/**
 * `host` and `port` against a network call. A private destination is matched by an allow or ask
 * rule only when the rule names its host literally: `host: "*"` does not open the host's loopback.
 */
function destinationMatcher(match: RuleMatch, decision: PolicyRule['decision']) {
  const host = match.host === undefined ? undefined : globToRegExp(match.host.toLowerCase(), 'text');
  const literal = match.host !== undefined && !/[*?[{\\]/.test(match.host);
  const ports = match.port === undefined ? undefined : [match.port].flat();
  return (call: Subject['call']): boolean => {
    if (host && (call.host === undefined || !host.test(call.host.toLowerCase()))) return false;
    if (ports && (call.port === undefined || !ports.includes(call.port))) return false;
    return !call.privateAddress || decision === 'deny' || literal;
  };
}

function pathsMatch(
  s: Subject,
  env: ResolvedEnv,
  test: (path: string, env: ResolvedEnv) => boolean,
  all: boolean,
): boolean {
  if (s.kind === 'file') return test(s.path, env);
  if (s.kind !== 'command') return false;
  const places = [...s.reads, ...s.writes];
  const found = known(places).map((p) => p.path);
  if (all) return found.length > 0 && found.length === places.length && found.every((p) => test(p, env));
  return found.some((p) => test(p, env));
}

/** A path glob with `~` expanded, relative patterns under the worktree, and its fixed part resolved. */
function pathMatcher(pattern: string): (path: string, env: ResolvedEnv) => boolean {
  const cache = new Map<string, RegExp>();
  return (path, env) => {
    const key = `${env.home}\0${env.worktree}`;
    let regex = cache.get(key);
    if (!regex) {
      regex = globToRegExp(anchor(pattern, env), 'path');
      cache.set(key, regex);
    }
    return regex.test(path);
  };
}

function anchor(pattern: string, env: ResolvedEnv): string {
  if (pattern.startsWith('**')) return pattern;
  const expanded = pattern.replace(/^~(?=\/|$)/, env.home);
  const full = isAbsolute(expanded) ? expanded : `${env.worktree}/${expanded}`;
  const prefix = globPrefix(full);
  const real = realpathLongest(prefix === '' ? '/' : prefix);
  const rest = full.slice(prefix.length);
  return rest === '' ? real : `${real.replace(/\/$/, '')}/${rest}`;
}

export function summarize(match: RuleMatch): string {
  const fields = Object.entries(match)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('|') : JSON.stringify(value)}`);
  return fields.length === 0 ? 'every call' : fields.join(' ');
}
