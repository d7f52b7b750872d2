// The bead data model, field for field the classic beads (`bd`) issue, so `.beads/issues.jsonl`
// written by `bd` reads and writes back unchanged. Fields we do not know live in `extra`.

export const Status = {
  open: 'open',
  inProgress: 'in_progress',
  blocked: 'blocked',
  deferred: 'deferred',
  closed: 'closed',
  tombstone: 'tombstone',
  pinned: 'pinned',
  hooked: 'hooked',
} as const;
export type Status = (typeof Status)[keyof typeof Status];
export const statuses: readonly Status[] = Object.values(Status);

/** Issue types `bd` knows. Imports accept any identifier so nothing is lost; the CLI offers these. */
export const issueTypes = [
  'bug',
  'feature',
  'task',
  'epic',
  'chore',
  'message',
  'merge-request',
  'molecule',
  'gate',
  'agent',
  'role',
  'rig',
  'convoy',
  'event',
] as const;

/** Dependency types `bd` knows; like `bd`, any short identifier is accepted as a custom type. */
export const dependencyTypes = [
  'blocks',
  'parent-child',
  'conditional-blocks',
  'waits-for',
  'related',
  'discovered-from',
  'replies-to',
  'relates-to',
  'duplicates',
  'supersedes',
  'authored-by',
  'assigned-to',
  'approved-by',
  'attests',
  'tracks',
  'until',
  'caused-by',
  'validates',
  'delegated-from',
] as const;

/**
 * Edge types that keep the dependent bead out of the ready set while the target is unclosed. A
 * target that is not in the store (an id from another tracker, `external:…`) blocks nothing, as in
 * bd, whose blocked set joins edges to the issues it holds.
 */
export const blockingDependencyTypes = ['blocks', 'conditional-blocks'] as const;

/** Statuses that no longer block anything. */
export const finishedStatuses: readonly Status[] = [Status.closed, Status.tombstone];

export type Extra = Record<string, unknown>;

export interface Dependency {
  issue_id: string;
  depends_on_id: string;
  type: string;
  created_at: string;
  created_by?: string;
  /** Fields of the edge we do not model (`metadata`, `thread_id`, …), kept verbatim. */
  extra?: Extra;
}

export interface Comment {
  id: number;
  issue_id: string;
  author: string;
  text: string;
  created_at: string;
  extra?: Extra;
}

/** Optional text and scalar fields, in the order `bd` writes them. */
export const optionalFields = [
  'description',
  'design',
  'acceptance_criteria',
  'notes',
  'assignee',
  'owner',
  'estimated_minutes',
  'created_by',
  'closed_at',
  'close_reason',
  'external_ref',
  'defer_until',
  'due_at',
  'deleted_at',
  'deleted_by',
  'delete_reason',
  'original_type',
] as const;
export type OptionalField = (typeof optionalFields)[number];

export interface Bead {
  id: string;
  title: string;
  description?: string;
  design?: string;
  acceptance_criteria?: string;
  notes?: string;
  status: Status;
  priority: number;
  issue_type: string;
  assignee?: string;
  owner?: string;
  estimated_minutes?: number;
  created_at: string;
  created_by?: string;
  updated_at: string;
  closed_at?: string;
  close_reason?: string;
  external_ref?: string;
  defer_until?: string;
  due_at?: string;
  deleted_at?: string;
  deleted_by?: string;
  delete_reason?: string;
  original_type?: string;
  labels: string[];
  dependencies: Dependency[];
  comments: Comment[];
  /** Every field of the imported object that is not modelled above, in its original order. */
  extra: Extra;
}

export const defaultPriority = 2;
export const defaultIssueType = 'task';
export const hqPrefix = 'hq';
