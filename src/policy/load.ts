// Loads policy.yaml synchronously (hooks read it on every call). A missing file means the built-in
// profile alone; a bad file is an `invalid_input` error naming the file, the field and its line.
import { readFileSync } from 'node:fs';
import type { Document } from 'yaml';
import { LineCounter, isMap, isScalar, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ErrorCode, GasTownError } from '../errors.js';
import type { PolicyConfig } from './schema.js';
import { policySchema } from './schema.js';

/** A loaded policy: the validated file and where it came from (undefined: the built-in profile only). */
export interface Policy extends PolicyConfig {
  file: string | undefined;
}

export function defaultPolicy(): Policy {
  return { ...policySchema.parse({}), file: undefined };
}

// Hooks, sling, the Witness and the Refinery load policy.yaml per call. The file is read every time
// and its parse reused only while the text is identical, so edits apply at once and a bad file
// still fails with its field and line. The shared value is frozen (nobody may change it), which
// also lets `rulesOf` keep its compiled rules across calls.
const loaded = new Map<string, { text: string; policy: Policy }>();

export function loadPolicy(file: string): Policy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return defaultPolicy();
    throw new GasTownError(ErrorCode.io, `cannot read ${file}: ${String(error)}`, {
      cause: error,
      ids: { file },
    });
  }
  const hit = loaded.get(file);
  if (hit && hit.text === text) return hit.policy;
  const policy = deepFreeze<Policy>({ ...parsePolicyText(text, file), file });
  loaded.set(file, { text, policy });
  return policy;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Parses and validates policy.yaml text; `file` names it in errors. */
export function parsePolicyText(text: string, file: string): PolicyConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const syntax = doc.errors[0];
  if (syntax) {
    const line = syntax.linePos?.[0].line;
    const message = syntax.message.split('\n')[0]?.replace(/:$/, '') ?? syntax.message;
    const where = line === undefined || message.includes('line') ? '' : ` (line ${line})`;
    throw new GasTownError(ErrorCode.invalidInput, `invalid ${file}: not valid YAML: ${message}${where}`, {
      ids: { file },
    });
  }
  const result = policySchema.safeParse(doc.toJS() ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => describeIssue(issue, doc, lines));
  const first = problems[0];
  throw new GasTownError(
    ErrorCode.invalidInput,
    `invalid ${file}:\n${problems.map((p) => `  ${p.text}`).join('\n')}`,
    { ids: { file, field: first?.field ?? '' } },
  );
}

function describeIssue(
  issue: z.core.$ZodIssue,
  doc: Document,
  lines: LineCounter,
): { field: string; text: string } {
  const path = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
  const extra = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const field = formatPath(extra === undefined ? path : [...path, extra]);
  const offset = offsetOf(doc, path, extra);
  const line = offset === undefined ? '' : ` (line ${lines.linePos(offset).line})`;
  return { field, text: `${field || '(top level)'}: ${issue.message}${line}` };
}

/** Where the field (or the nearest enclosing one that exists) starts in the text. */
function offsetOf(doc: Document, path: (string | number)[], key: string | undefined): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node: unknown = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (depth === path.length && key !== undefined && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
    }
    if (node && typeof node === 'object' && 'range' in node && Array.isArray(node.range)) {
      const start: unknown = node.range[0];
      if (typeof start === 'number') return start;
    }
  }
  return undefined;
}

export function formatPath(path: (string | number)[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}
