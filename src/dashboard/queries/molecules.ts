// The dashboard's molecules: each formula poured into beads, as its steps with their state and
// its progress (steps closed of all), newest first; one molecule in full for its page.
import type { BeadStore } from '../../beads/index.js';
import { listMolecules, loadMolecule } from '../../formulas/index.js';

export interface MoleculeView {
  id: string;
  title: string;
  formula: string;
  wisp: boolean;
  vars: Record<string, string>;
  done: number;
  total: number;
  finished: boolean;
  steps: { id: string; step: string; kind: string; state: string; status: string; title: string }[];
}

export async function moleculeView(beads: BeadStore, id: string): Promise<MoleculeView> {
  const m = await loadMolecule(beads, id);
  return {
    id: m.root.id,
    title: m.root.title,
    formula: m.info.formula,
    wisp: m.wisp,
    vars: m.info.vars,
    done: m.done,
    total: m.total,
    finished: m.finished,
    steps: m.steps.map((s) => ({
      id: s.bead.id,
      step: s.step.id,
      kind: s.step.kind,
      state: s.state,
      status: s.bead.status,
      title: s.bead.title,
    })),
  };
}

export async function moleculesView(beads: BeadStore, limit: number): Promise<MoleculeView[]> {
  const roots = (await listMolecules(beads)).sort((a, b) => b.created_at.localeCompare(a.created_at));
  const views: MoleculeView[] = [];
  for (const root of roots.slice(0, limit)) views.push(await moleculeView(beads, root.id));
  return views;
}
