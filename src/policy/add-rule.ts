// `gt approve --always` writes a standing approval: an allow rule scoped to one rig, appended to
// policy.yaml's rules (after the user's own, so an earlier deny still wins). Comments and layout
// survive (yaml's Document API); the file is replaced atomically.
import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isSeq, parseDocument } from 'yaml';
import { ErrorCode, GasTownError, invalidInput } from '../errors.js';
import { parsePolicyText } from './load.js';
import type { PolicyRule } from './schema.js';
import { ruleSchema, userRuleName } from './schema.js';

export interface AllowRuleInput {
  rig: string;
  tool: string;
  /** A command glob (or `/regex/`); use `escapeGlob` to allow one literal command. */
  command?: string;
  path?: string;
  /** The `network` tool's destination host (a literal name, or a glob). */
  host?: string;
}

export interface AddedRule {
  /** The name decisions will give the rule (`policy.yaml#rules[3]`). */
  rule: string;
  /** False when the same allow rule was already there. */
  added: boolean;
}

const header =
  '# Gas Town policy: ordered rules (first match wins), then the built-in profile, then `default`.\n';

export function addAllowRule(file: string, input: AllowRuleInput, reason: string): AddedRule {
  const parsed = ruleSchema.safeParse({ match: { ...input }, decision: 'allow', reason });
  if (!parsed.success)
    throw invalidInput(
      `cannot add the rule: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const rule = parsed.data;
  const text = readIfExists(file);
  const existing = parsePolicyText(text, file).rules;
  const same = existing.findIndex((r) => r.decision === 'allow' && sameMatch(r, rule));
  const label = basename(file);
  if (same >= 0) return { rule: userRuleName(existing[same] ?? rule, same, label), added: false };

  const doc = parseDocument(text === '' ? header : text);
  const node = doc.createNode({ match: compact(rule.match), decision: 'allow', reason: rule.reason });
  const rules = doc.get('rules', true);
  if (isSeq(rules)) {
    rules.flow = false;
    rules.items.push(node);
  } else doc.set('rules', doc.createNode([node]));
  const next = doc.toString();
  parsePolicyText(next, file);
  writeAtomically(file, next);
  return { rule: userRuleName(rule, existing.length, label), added: true };
}

function sameMatch(a: PolicyRule, b: PolicyRule): boolean {
  return JSON.stringify(compact(a.match)) === JSON.stringify(compact(b.match));
}

function compact(match: PolicyRule['match']): Record<string, unknown> {
  const keys = ['tool', 'command', 'path', 'host', 'port', 'agent', 'rig', 'role'] as const;
  return Object.fromEntries(keys.filter((k) => match[k] !== undefined).map((k) => [k, match[k]]));
}

function readIfExists(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return '';
    throw new GasTownError(ErrorCode.io, `cannot read ${file}: ${String(error)}`, {
      cause: error,
      ids: { file },
    });
  }
}

function writeAtomically(file: string, text: string): void {
  const temp = join(dirname(file), `.${basename(file)}.${randomUUID()}.tmp`);
  let mode = 0o644;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    // a new file
  }
  try {
    writeFileSync(temp, text, { mode, flag: 'wx' });
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new GasTownError(ErrorCode.io, `cannot write ${file}: ${String(error)}`, {
      cause: error,
      ids: { file },
    });
  }
}
