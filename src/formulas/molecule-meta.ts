// What a molecule's beads carry so anyone can tell what they are: labels (`molecule`,
// `formula:<name>`, `step:<id>`) and `metadata.gastown` — the formula, the step, its kind, the
// variables — plus beads' own `ephemeral: true` on every bead of a wisp (left out of exports).
import type { Bead, Extra } from '../beads/index.js';
import type { StepKind } from './proto.js';

export const moleculeLabel = 'molecule';
export const digestLabel = 'digest';
export const formulaLabel = (name: string): string => `formula:${name}`;
export const stepLabel = (id: string): string => `step:${id}`;

export interface MoleculeInfo {
  formula: string;
  source: string;
  vars: Record<string, string>;
  wisp: boolean;
  legs?: string[];
  warnings?: string[];
}

export interface StepInfo {
  formula: string;
  id: string;
  kind: StepKind;
  molecule: string;
}

function gastown(bead: Pick<Bead, 'extra'>): Record<string, unknown> {
  const metadata = bead.extra.metadata;
  if (metadata === null || typeof metadata !== 'object') return {};
  const ours = (metadata as Record<string, unknown>).gastown;
  return ours !== null && typeof ours === 'object' ? (ours as Record<string, unknown>) : {};
}

export function moleculeInfo(bead: Pick<Bead, 'extra'>): MoleculeInfo | undefined {
  const info = gastown(bead).molecule;
  return info !== null && typeof info === 'object' ? (info as MoleculeInfo) : undefined;
}

export function stepInfo(bead: Pick<Bead, 'extra'>): StepInfo | undefined {
  const info = gastown(bead).formula_step;
  return info !== null && typeof info === 'object' ? (info as StepInfo) : undefined;
}

export function isEphemeral(bead: Pick<Bead, 'extra'>): boolean {
  return bead.extra.ephemeral === true;
}

/**
 * A wisp this town poured: ephemeral and one of a molecule's beads. Never exported. An ephemeral
 * bead that arrived by import is written back as it came, so an import and an export lose nothing.
 */
export function isPouredWisp(bead: Pick<Bead, 'extra'>): boolean {
  return isEphemeral(bead) && (moleculeInfo(bead) !== undefined || stepInfo(bead) !== undefined);
}

/** The `extra` of a molecule's bead: metadata (the step's own, then ours) and the wisp flag. */
export function moleculeExtra(
  own: Record<string, unknown> | undefined,
  ours: Record<string, unknown>,
  wisp: boolean,
): Extra {
  return { metadata: { ...own, gastown: ours }, ...(wisp ? { ephemeral: true } : {}) };
}
