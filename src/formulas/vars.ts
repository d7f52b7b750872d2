// Variables: the values a run gives (`--var k=v`) checked against the formula's definitions
// (required, enum, pattern, type) and filled with defaults, and `{{name}}` substitution. Without a
// value a placeholder stays as written, so a proto cooked without vars can be poured later.
import { invalidInput } from '../errors.js';
import type { VarDef } from './formula.js';

const placeholder = /\{\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}/g;

export interface ResolvedVars {
  values: Record<string, string>;
  /** Required variables (or ones without a default) that got no value. */
  missing: string[];
}

/** `k=v` pairs from the command line; a bad pair names itself. */
export function parseVarPairs(pairs: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw invalidInput(`--var: "${pair}" is not name=value`);
    values[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return values;
}

export function resolveVars(
  defs: Readonly<Record<string, VarDef>>,
  given: Readonly<Record<string, string>>,
  formula: string,
): ResolvedVars {
  const problems: string[] = [];
  for (const name of Object.keys(given)) {
    if (!(name in defs)) {
      const known = Object.keys(defs);
      problems.push(
        `--var ${name}: ${formula} has no variable ${name}${known.length > 0 ? ` (variables: ${known.join(', ')})` : ''}`,
      );
    }
  }
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const [name, def] of Object.entries(defs)) {
    const value = given[name] ?? def.default;
    if (value === undefined) {
      missing.push(name);
      continue;
    }
    const wrong = valueProblem(def, value);
    if (wrong !== undefined) problems.push(`--var ${name}=${value}: ${wrong}`);
    values[name] = value;
  }
  if (problems.length > 0) throw invalidInput(`${formula}: ${problems.join('; ')}`);
  return { values, missing };
}

function valueProblem(def: VarDef, value: string): string | undefined {
  if (def.enum && !def.enum.includes(value)) return `must be one of ${def.enum.join(', ')}`;
  if (def.pattern !== undefined && !new RegExp(def.pattern).test(value))
    return `does not match ${def.pattern}`;
  if ((def.type === 'int' || def.type === 'number') && !/^-?\d+$/.test(value)) return 'must be an integer';
  if ((def.type === 'bool' || def.type === 'boolean') && !['true', 'false'].includes(value))
    return 'must be true or false';
  return undefined;
}

/** Fills `{{name}}` from `values`; names without a value stay as written. */
export function substitute(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(placeholder, (whole, name: string) => values[name] ?? whole);
}

/** The `{{name}}` placeholders a text uses. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(placeholder)].map((m) => m[1]!);
}
