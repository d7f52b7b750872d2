// Reads a plan: YAML syntax, then the schema, then the town (rigs exist, dependencies name a key of
// the plan or a bead that exists, no key twice, no cycle). Every problem found is reported at once,
// each with its line, and nothing is created unless there are none.
import type { z } from 'zod';
import { LineCounter, parseDocument } from 'yaml';
import type { BeadStore } from '../beads/index.js';
import { isValidBeadId } from '../beads/index.js';
import type { Db } from '../db/open.js';
import { invalidInput } from '../errors.js';
import { listRigs } from '../town/index.js';
import type { PlanPath, PlanSource } from './plan-locate.js';
import { hasNode, planError } from './plan-locate.js';
import type { Plan } from './plan-schema.js';
import { planBeadSchema, planSchema } from './plan-schema.js';

export interface CheckedPlan {
  plan: Plan;
  source: PlanSource;
  /** Bead indexes in creation order: every bead after the plan beads it depends on. */
  order: number[];
}

/** What checking a plan reads of the town. */
export interface PlanTown {
  db: Db;
  beads: BeadStore;
}

export async function loadPlan(town: PlanTown, text: string, name: string): Promise<CheckedPlan> {
  const { plan, source } = parsePlan(text, name);
  const problems = await townProblems(town, plan, source);
  const order = creationOrder(plan);
  if (!Array.isArray(order)) problems.push(planError(source, ['beads', order.at, 'depends_on'], order.cycle));
  if (problems.length > 0 || !Array.isArray(order)) throw planInvalid(name, problems);
  return { plan, source, order };
}

/** Syntax and schema only: the plan as data, or every problem with its line. */
export function parsePlan(text: string, name: string): { plan: Plan; source: PlanSource } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const source: PlanSource = { name, doc, lines };
  if (doc.errors.length > 0) {
    throw planInvalid(
      name,
      doc.errors.map((e) => `${name}:${e.linePos?.[0].line ?? 1}: ${e.message.split(' at line ')[0]}`),
    );
  }
  const parsed = planSchema.safeParse(doc.toJS());
  if (!parsed.success)
    throw planInvalid(
      name,
      parsed.error.issues.flatMap((i) => issueLines(source, i)),
    );
  return { plan: parsed.data, source };
}

function issueLines(source: PlanSource, issue: z.core.$ZodIssue): string[] {
  const path = issue.path as PlanPath;
  if (issue.code === 'unrecognized_keys') {
    const known = knownFields(path);
    return issue.keys.map((key) =>
      planError(source, path, `unknown field${known ? ` (fields: ${known})` : ''}`, key),
    );
  }
  if (issue.code === 'invalid_type' && !hasNode(source, path))
    return [planError(source, path, 'is required')];
  return [planError(source, path, issue.message)];
}

function knownFields(path: PlanPath): string | undefined {
  if (path.length === 0) return Object.keys(planSchema.shape).join(', ');
  if (path.length === 1 && path[0] === 'convoy') return 'title, description';
  if (path.length === 2 && path[0] === 'beads') return Object.keys(planBeadSchema.shape).join(', ');
  return undefined;
}

async function townProblems(town: PlanTown, plan: Plan, source: PlanSource): Promise<string[]> {
  const problems: string[] = [];
  const rigs = new Set(listRigs(town.db).map((rig) => rig.name));
  const rigHint =
    rigs.size === 0
      ? ' (this town has no rigs yet: `gt rig add <name> <git-url>`)'
      : ` (rigs: ${[...rigs].join(', ')})`;
  const firstWithKey = new Map<string, number>();
  plan.beads.forEach((bead, n) => {
    const first = firstWithKey.get(bead.key);
    if (first === undefined) firstWithKey.set(bead.key, n);
    else
      problems.push(
        planError(source, ['beads', n, 'key'], `"${bead.key}" is already the key of beads[${first}]`),
      );
  });
  for (const [n, bead] of plan.beads.entries()) {
    if (!rigs.has(bead.rig))
      problems.push(
        planError(source, ['beads', n, 'rig'], `no rig named "${bead.rig}" in this town${rigHint}`),
      );
    for (const [k, rig] of (bead.context_rigs ?? []).entries()) {
      if (!rigs.has(rig))
        problems.push(
          planError(source, ['beads', n, 'context_rigs', k], `no rig named "${rig}" in this town${rigHint}`),
        );
    }
    for (const [k, ref] of (bead.depends_on ?? []).entries()) {
      const at = ['beads', n, 'depends_on', k];
      if (ref === bead.key) problems.push(planError(source, at, 'a bead cannot depend on itself'));
      else if (firstWithKey.has(ref)) continue;
      else if (!isValidBeadId(ref) || (await town.beads.get(ref)) === undefined)
        problems.push(planError(source, at, `"${ref}" is neither a key of this plan nor an existing bead`));
    }
  }
  return problems;
}

/** Plan order, moved only as far as dependencies need; or where a dependency cycle is. */
function creationOrder(plan: Plan): number[] | { at: number; cycle: string } {
  const index = new Map<string, number>();
  plan.beads.forEach((bead, n) => index.set(bead.key, index.get(bead.key) ?? n));
  const deps = plan.beads.map((bead, own) =>
    (bead.depends_on ?? [])
      .map((ref) => index.get(ref))
      .filter((n): n is number => n !== undefined && n !== own),
  );
  const order: number[] = [];
  const placed = new Set<number>();
  while (order.length < plan.beads.length) {
    const next = plan.beads.findIndex((_, n) => !placed.has(n) && deps[n]!.every((d) => placed.has(d)));
    if (next === -1) return cycleAmong(plan, deps, placed);
    placed.add(next);
    order.push(next);
  }
  return order;
}

function cycleAmong(plan: Plan, deps: number[][], placed: Set<number>): { at: number; cycle: string } {
  // Every unplaced bead waits on another unplaced one, so following them must come back around.
  let at = plan.beads.findIndex((_, n) => !placed.has(n));
  const path: number[] = [];
  while (!path.includes(at)) {
    path.push(at);
    at = deps[at]!.find((d) => !placed.has(d)) ?? at;
  }
  const loop = [...path.slice(path.indexOf(at)), at].map((n) => plan.beads[n]!.key);
  return { at, cycle: `dependency cycle: ${loop.join(' → ')}` };
}

function planInvalid(name: string, problems: string[]) {
  const line = (text: string) => Number(/^.*?:(\d+): /.exec(text.slice(name.length))?.[1] ?? 0);
  problems.sort((a, b) => line(a) - line(b));
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return invalidInput(`plan ${name} has ${count}; nothing was created:\n${problems.join('\n')}`);
}
