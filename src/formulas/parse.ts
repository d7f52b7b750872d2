// Reads one formula file — `<name>.formula.toml` (smol-toml) or `<name>.formula.json` — and checks
// it: the schema, then the rules the schema cannot say (ids unique, `needs` naming a step, loops
// well formed, no cycle). Every problem is reported at once, each as `file:line: key: message`.
import { parse as parseToml, TomlError } from 'smol-toml';
import type { z } from 'zod';
import { invalidInput } from '../errors.js';
import type { Formula } from './formula.js';
import { normalizeFormula } from './normalize.js';
import { formulaFileSchema } from './schema.js';
import type { KeyPath } from './toml-lines.js';
import { lineOf, showPath } from './toml-lines.js';
import { localProblems } from './validate.js';

export interface FormulaText {
  text: string;
  /** The path shown in messages. */
  file: string;
}

/** A problem at a key of the file: where it is, and what is wrong. */
export interface Problem {
  path: KeyPath;
  message: string;
}

export function parseFormula(source: FormulaText): Formula {
  const data = parseData(source);
  const checked = formulaFileSchema.safeParse(data);
  if (!checked.success) {
    throw formulaInvalid(
      source,
      checked.error.issues.flatMap((issue) => problemsOf(issue, [])),
    );
  }
  const formula = normalizeFormula(checked.data, source.file);
  const problems = localProblems(formula, checked.data);
  if (problems.length > 0) throw formulaInvalid(source, problems);
  return formula;
}

/** The error for a file's problems: one line per problem, with its line number when known. */
export function formulaInvalid(source: FormulaText, problems: Problem[]): Error {
  const lines = problems.map((p) => `${where(source, p.path)}: ${p.message}`);
  return invalidInput(`invalid formula ${source.file}:\n  ${lines.join('\n  ')}`, { file: source.file });
}

function where(source: FormulaText, path: KeyPath): string {
  const line = source.file.endsWith('.json') ? undefined : lineOf(source.text, path);
  const key = showPath(path);
  return `${source.file}${line === undefined ? '' : `:${line}`}${key === '' ? '' : `: ${key}`}`;
}

function parseData(source: FormulaText): unknown {
  if (source.file.endsWith('.json')) {
    try {
      return JSON.parse(source.text) as unknown;
    } catch (error) {
      throw invalidInput(`invalid formula ${source.file}: not JSON: ${(error as Error).message}`);
    }
  }
  try {
    // TOML tables come back with a null prototype; plain objects keep zod and JSON output simple.
    return JSON.parse(JSON.stringify(parseToml(source.text))) as unknown;
  } catch (error) {
    if (error instanceof TomlError) {
      const reason = error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
      throw invalidInput(`invalid formula ${source.file}:${error.line}:${error.column}: ${reason}`, {
        file: source.file,
      });
    }
    throw error;
  }
}

/** Zod issues as problems; a union reports the branch that came closest instead of both. */
function problemsOf(issue: z.core.$ZodIssue, prefix: KeyPath): Problem[] {
  const path = [...prefix, ...(issue.path as (string | number)[])];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const branches = issue.errors.map((branch) => branch.flatMap((i) => problemsOf(i, path)));
    const deeper = branches.filter((b) => b.every((p) => p.path.length > path.length));
    return (deeper[0] ?? branches[0]!).slice(0, 3);
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return [{ path, message: 'is required' }];
  return [{ path, message: issue.message }];
}
