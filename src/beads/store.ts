// The bead store contract. Every backend (SQLite today, PostgreSQL for towns spanning machines)
// implements this interface and passes the one shared contract suite in test/beads/. Methods are
// async so a networked backend fits; every mutating method is one transaction.
import type { Bead, Comment, Dependency, Extra, Status } from './model.js';

export interface ChangeContext {
  /** Who is acting: `overseer`, `mayor`, `<rig>/polecats/<name>`, … */
  actor: string;
  /** Injectable clock for tests. */
  now?: Date;
}

export interface NewBead {
  /** Id prefix (`hq` for town-level beads, the rig's prefix otherwise). Ignored with `parent`. */
  prefix: string;
  /** An explicit id (bd's `create --id`) instead of a minted one; refused if it is taken. */
  id?: string;
  /** Makes a dotted child id (`<parent>.<n>`) and a `parent-child` edge to the parent. */
  parent?: string;
  title: string;
  description?: string;
  design?: string;
  acceptance_criteria?: string;
  notes?: string;
  status?: Status;
  priority?: number;
  issue_type?: string;
  assignee?: string;
  owner?: string;
  estimated_minutes?: number;
  external_ref?: string;
  defer_until?: string;
  due_at?: string;
  labels?: string[];
  dependencies?: { type: string; depends_on_id: string }[];
  extra?: Extra;
}

/** Fields `update` may change; `null` clears an optional field. */
export interface BeadPatch {
  title?: string;
  description?: string | null;
  design?: string | null;
  acceptance_criteria?: string | null;
  notes?: string | null;
  status?: Status;
  priority?: number;
  issue_type?: string;
  assignee?: string | null;
  owner?: string | null;
  estimated_minutes?: number | null;
  external_ref?: string | null;
  defer_until?: string | null;
  due_at?: string | null;
}

export interface ListFilter {
  status?: Status[];
  issueType?: string;
  assignee?: string;
  /** Every one of these labels (AND). */
  labels?: string[];
  /** At least one of these labels (OR). */
  labelsAny?: string[];
  priority?: number;
  /** Direct children of this bead. */
  parent?: string;
  /** Include closed beads (default: only unclosed). */
  all?: boolean;
  limit?: number;
}

export const sortPolicies = ['hybrid', 'priority', 'oldest'] as const;
export type SortPolicy = (typeof sortPolicies)[number];

export interface ReadyFilter {
  limit?: number;
  sort?: SortPolicy;
  assignee?: string;
  unassigned?: boolean;
  labels?: string[];
  issueType?: string;
  priority?: number;
  /** Only beads whose id starts with this prefix (one rig). */
  prefix?: string;
  now?: Date;
}

export interface BlockedBead {
  bead: Bead;
  /** The unclosed beads holding it back (directly, or through a blocked ancestor). */
  blocked_by: string[];
}

export interface DependencyView {
  dependency: Dependency;
  /** The bead on the other end, when it exists in this store. */
  bead?: Bead;
}

export interface TreeNode {
  id: string;
  title: string;
  status: Status;
  type: string;
  depth: number;
  parent_id: string | null;
  /** Already shown higher in the tree (a diamond or a cycle). */
  truncated: boolean;
}

export interface Stats {
  total_issues: number;
  open_issues: number;
  in_progress_issues: number;
  closed_issues: number;
  blocked_issues: number;
  deferred_issues: number;
  ready_issues: number;
  tombstone_issues: number;
  pinned_issues: number;
  hooked_issues: number;
  average_lead_time_hours: number;
}

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
}

export interface ClaimOptions {
  /** A lease the Deacon may expire if the claimant stops renewing it. */
  leaseMs?: number;
}

export interface BeadStore {
  create(input: NewBead, ctx: ChangeContext): Promise<Bead>;
  get(id: string): Promise<Bead | undefined>;
  /** Like `get`, but a missing bead is a not_found error. */
  require(id: string): Promise<Bead>;
  list(filter?: ListFilter): Promise<Bead[]>;
  update(id: string, patch: BeadPatch, ctx: ChangeContext): Promise<Bead>;
  /** Atomically: open and unassigned (or already ours) → hooked on `assignee`, waiting for its session. */
  hook(id: string, assignee: string, ctx: ChangeContext): Promise<Bead>;
  /** Atomically: open and unclaimed (or already ours) → in_progress, assignee = claimant. */
  claim(id: string, claimant: string, ctx: ChangeContext & ClaimOptions): Promise<Bead>;
  close(id: string, reason: string | undefined, ctx: ChangeContext): Promise<Bead>;
  reopen(id: string, ctx: ChangeContext): Promise<Bead>;
  addDependency(issueId: string, dependsOnId: string, type: string, ctx: ChangeContext): Promise<Dependency>;
  removeDependency(issueId: string, dependsOnId: string, ctx: ChangeContext): Promise<void>;
  dependencies(id: string): Promise<{ dependencies: DependencyView[]; dependents: DependencyView[] }>;
  dependencyTree(id: string, options?: { maxDepth?: number; reverse?: boolean }): Promise<TreeNode[]>;
  /** Cycles among blocking and parent-child edges, each as a list of ids. */
  cycles(): Promise<string[][]>;
  addLabel(id: string, label: string, ctx: ChangeContext): Promise<Bead>;
  removeLabel(id: string, label: string, ctx: ChangeContext): Promise<Bead>;
  addComment(id: string, text: string, ctx: ChangeContext): Promise<Comment>;
  ready(filter?: ReadyFilter): Promise<Bead[]>;
  blocked(): Promise<BlockedBead[]>;
  stats(now?: Date): Promise<Stats>;
  /**
   * One transaction: the beads go (labels, comments, edges both ways); beads that depended on them
   * are unblocked. Each is recorded with its last state, so the ledger keeps what the store drops.
   * Any missing id fails the whole call. Returns the beads as they were.
   */
  delete(ids: string[], ctx: ChangeContext): Promise<Bead[]>;
  /** Every bead, tombstones included, sorted by id: the JSONL export. */
  exportAll(): Promise<Bead[]>;
  /** One transaction: all beads are created or updated, or none. */
  importAll(beads: Bead[], ctx: ChangeContext): Promise<ImportResult>;
  dispose(): Promise<void>;
}
