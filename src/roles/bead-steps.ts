// Where a bead keeps its script steps and context rigs: in its `metadata` (an unknown field to
// classic bd, so it is exported and imported unchanged): `{"metadata": {"gastown": {"steps": [...]}}}`.
import type { Bead, Extra } from '../beads/index.js';

interface GasTownMetadata {
  steps?: string[];
  context_rigs?: string[];
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
