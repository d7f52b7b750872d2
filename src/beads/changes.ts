// What the store reports about each change, inside the change's own transaction, so the ledger
// (which implements the recorder) can never miss a change nor record one that rolled back.

export const changeKinds = [
  'bead.created',
  'bead.updated',
  'bead.hooked',
  'bead.claimed',
  'bead.closed',
  'bead.reopened',
  'dependency.added',
  'dependency.removed',
  'label.added',
  'label.removed',
  'comment.added',
  'beads.imported',
  'bead.deleted',
] as const;
export type ChangeKind = (typeof changeKinds)[number];

export interface BeadChange {
  kind: ChangeKind;
  actor: string;
  /** The bead the change is about; absent for store-wide changes such as an import. */
  bead_id?: string;
  at: string;
  payload: Record<string, unknown>;
}

/** Called synchronously inside the write transaction; throwing rolls the change back. */
export type ChangeRecorder = (change: BeadChange) => void;
