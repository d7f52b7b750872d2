// Where formulas come from, in order: the rig's `.beads/formulas/`, the town's `formulas/`, then
// the built-ins shipped with gt. The first file named `<name>.formula.toml` (or `.json`) wins; a
// formula that `extends` another resolves it along the same path (skipping its own file).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCode, GasTownError, notFound } from '../errors.js';
import { applyCompose } from './compose.js';
import { mergeFormulas } from './extends.js';
import type { Formula } from './formula.js';
import { formulaInvalid, parseFormula } from './parse.js';
import { referenceProblems } from './validate.js';

export const formulaSuffixes = ['.formula.toml', '.formula.json'] as const;

export interface FormulaDir {
  dir: string;
  /** Where the directory sits on the path: `rig`, `town` or `builtin`. */
  origin: 'rig' | 'town' | 'builtin';
}

export interface FormulaEntry {
  name: string;
  file: string;
  origin: FormulaDir['origin'];
  /** Shadowed by a file of the same name earlier on the path. */
  shadowed: boolean;
}

/** The built-ins: next to this module in the sources and in `tsc` output, beside the bundle's chunks in dist/bin. */
export function builtinFormulaDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'builtin'), join(here, '..', 'formulas', 'builtin')];
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0]!;
}

export function formulaPath(options: { rigDir?: string; townDir?: string }): FormulaDir[] {
  const path: FormulaDir[] = [];
  if (options.rigDir !== undefined)
    path.push({ dir: join(options.rigDir, '.beads', 'formulas'), origin: 'rig' });
  if (options.townDir !== undefined) path.push({ dir: join(options.townDir, 'formulas'), origin: 'town' });
  path.push({ dir: builtinFormulaDir(), origin: 'builtin' });
  return path;
}

export function listFormulas(path: readonly FormulaDir[]): FormulaEntry[] {
  const seen = new Set<string>();
  const entries: FormulaEntry[] = [];
  for (const { dir, origin } of path) {
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).sort()) {
      const suffix = formulaSuffixes.find((s) => file.endsWith(s));
      if (!suffix) continue;
      const name = file.slice(0, -suffix.length);
      entries.push({ name, file: join(dir, file), origin, shadowed: seen.has(name) });
      seen.add(name);
    }
  }
  return entries;
}

/** Reads, checks and applies `extends`; `skip` is the chain of files being loaded (cycle guard). */
export function loadFormula(
  path: readonly FormulaDir[],
  name: string,
  skip: readonly string[] = [],
): Formula {
  const file = findFormulaFile(path, name, skip);
  if (file === undefined) {
    const looped = skip.find((f) => formulaSuffixes.some((suffix) => f.endsWith(`/${name}${suffix}`)));
    if (looped !== undefined)
      throw new GasTownError(
        ErrorCode.invalidInput,
        `extends makes a cycle: ${[...skip, looped].join(' → ')}`,
      );
    throw skip.length === 0
      ? notFound('formula', name)
      : new GasTownError(
          ErrorCode.invalidInput,
          `${skip.at(-1)}: extends "${name}", but no other formula has that name`,
        );
  }
  return loadFormulaFile(path, file, skip);
}

export function loadFormulaFile(
  path: readonly FormulaDir[],
  file: string,
  skip: readonly string[] = [],
): Formula {
  if (skip.includes(file))
    throw new GasTownError(ErrorCode.invalidInput, `extends makes a cycle: ${[...skip, file].join(' → ')}`);
  const text = readFileSync(file, 'utf8');
  const formula = parseFormula({ text, file });
  const load = (name: string): Formula => loadFormula(path, name, [...skip, file]);
  if (formula.extends.length === 0) return applyCompose(formula, load);
  const merged = mergeFormulas(formula.extends.map(load), formula);
  const problems = referenceProblems(merged, false);
  if (problems.length > 0) throw formulaInvalid({ text, file }, problems);
  return applyCompose(merged, load);
}

function findFormulaFile(
  path: readonly FormulaDir[],
  name: string,
  skip: readonly string[],
): string | undefined {
  for (const { dir } of path) {
    for (const suffix of formulaSuffixes) {
      const file = join(dir, `${name}${suffix}`);
      if (!skip.includes(file) && existsSync(file)) return file;
    }
  }
  return undefined;
}
