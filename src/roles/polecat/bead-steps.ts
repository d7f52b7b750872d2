// Where a bead keeps its script steps and context rigs: in its `metadata` (an unknown field to
// classic bd, so it is exported and imported unchanged): `{"metadata": {"gastown": {"steps": [...]}}}`.
import type { Bead, Extra } from '../../beads/index.js';

interface GasTownMetadata {
  steps?: string[];
  context_rigs?: string[];
  /** A formula step's agent runtime (`gt formula run`). */
  agent?: string;
  /** A formula step's place in its molecule (see src/formulas/molecule-meta.ts). */
  formula_step?: { kind?: string };
}

function gastownOf(extra: Extra): GasTownMetadata {
  const metadata = extra.metadata;
  if (metadata === null || typeof metadata !== 'object') return {};
  const ours = (metadata as Record<string, unknown>).gastown;
  return ours !== null && typeof ours === 'object' ? ours : {};
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

export function stepsOf(bead: Bead): string[] {
  return strings(gastownOf(bead.extra).steps);
}

export function contextRigsOf(bead: Bead): string[] {
  return strings(gastownOf(bead.extra).context_rigs);
}

/** The `extra` of a new bead carrying steps and context rigs (nothing when both are empty). */
export function gastownExtra(steps: string[], contextRigs: string[]): Extra {
  const ours: GasTownMetadata = {};
  if (steps.length > 0) ours.steps = steps;
  if (contextRigs.length > 0) ours.context_rigs = contextRigs;
  return Object.keys(ours).length > 0 ? { metadata: { gastown: ours } } : {};
}

/** The agent runtime a formula step asks for, if any. */
export function agentOf(bead: Bead): string | undefined {
  const agent = gastownOf(bead.extra).agent;
  return typeof agent === 'string' ? agent : undefined;
}

/** A formula's human step or gate: the Overseer closes it (`gt bd close`); nothing slings it. */
export function awaitsOverseer(bead: Bead): boolean {
  const kind = gastownOf(bead.extra).formula_step?.kind;
  return kind === 'human' || kind === 'gate';
}
