// The SQLite bead store: `.gt/town.db`, shared by every process of the town. Each mutation is one
// BEGIN IMMEDIATE transaction that also hands its change to the recorder (the ledger).
import type Database from 'better-sqlite3';
import { ErrorCode, GasTownError, notFound } from '../../errors.js';
import type { BeadChange, ChangeKind, ChangeRecorder } from '../changes.js';
import type { Bead, Comment, Dependency } from '../model.js';
import { Status } from '../model.js';
import type {
  BeadPatch,
  BeadStore,
  BlockedBead,
  ChangeContext,
  ClaimOptions,
  DependencyView,
  ImportResult,
  ListFilter,
  NewBead,
  ReadyFilter,
  Stats,
  TreeNode,
} from '../store.js';
import { checkPatch, check, fieldSchemas } from '../validate.js';
import { affectsBlocking, blockedBy, finished, rebuildBlocked, refreshBlocked } from './blocked-cache.js';
import { dependencyTree, findCycles } from './graph.js';
import { loadAllBeads, loadBead, loadBeads } from './hydrate.js';
import { importBeads } from './import.js';
import { insertBead, insertDependency } from './insert.js';
import { listIds } from './list.js';
import { blockedWithBlockers, readyIds } from './ready.js';
import type { BeadRow } from './rows.js';
import { timeMs } from './rows.js';
import { storeStats } from './stats.js';
import { dependencyViews } from './dependency-views.js';
import { prepared } from './statements.js';

type Db = Database.Database;

export interface SqliteBeadStoreOptions {
  recorder?: ChangeRecorder;
  /** Close the database handle on dispose (default false: the town owns the handle). */
  ownsDb?: boolean;
}

export class SqliteBeadStore implements BeadStore {
  constructor(
    private readonly db: Db,
    private readonly options: SqliteBeadStoreOptions = {},
  ) {}

  create(input: NewBead, ctx: ChangeContext): Promise<Bead> {
    return this.write(() => {
      const bead = insertBead(this.db, input, ctx);
      if (bead.dependencies.length > 0) refreshBlocked(this.db, [bead.id]);
      this.record('bead.created', ctx, bead.id, { bead });
      return bead;
    });
  }

  get(id: string): Promise<Bead | undefined> {
    return Promise.resolve(loadBead(this.db, id));
  }

  async require(id: string): Promise<Bead> {
    const bead = await this.get(id);
    if (!bead) throw notFound('bead', id);
    return bead;
  }

  list(filter: ListFilter = {}): Promise<Bead[]> {
    return this.read(() => loadBeads(this.db, listIds(this.db, filter)));
  }

  update(id: string, patch: BeadPatch, ctx: ChangeContext): Promise<Bead> {
    return this.write(() => {
      checkPatch(patch);
      const before = this.row(id);
      const now = stamp(ctx);
      const set: Record<string, string | number | null> = {};
      const changed: Record<string, { from: unknown; to: unknown }> = {};
      for (const [field, value] of Object.entries(patch) as [keyof BeadPatch, unknown][]) {
        if (value === undefined) continue;
        const next = value as string | number | null;
        if (before[field] === next) continue;
        set[field] = next;
        changed[field] = { from: before[field], to: next };
      }
      if ('defer_until' in set) set.defer_ms = timeMs(set.defer_until as string | null);
      if (set.status === Status.closed) set.closed_at = now;
      else if (set.status !== undefined && before.status === Status.closed) {
        set.closed_at = null;
        set.close_reason = null;
      }
      if (Object.keys(changed).length > 0) {
        this.setColumns(id, { ...set, updated_at: now });
        if (set.status !== undefined && finished(before.status) !== finished(set.status as string)) {
          refreshBlocked(this.db, blockedBy(this.db, id));
        }
        this.record('bead.updated', ctx, id, { changed });
      }
      return this.loaded(id);
    });
  }

  hook(id: string, assignee: string, ctx: ChangeContext): Promise<Bead> {
    return this.write(() => {
      const result = prepared(
        this.db,
        `UPDATE beads SET status = 'hooked', assignee = :who, updated_at = :at
          WHERE id = :id AND status = 'open' AND (assignee IS NULL OR assignee = '' OR assignee = :who)`,
      ).run({ id, who: assignee, at: stamp(ctx) });
      if (result.changes === 0) throw this.claimRefusal(id, assignee);
      this.record('bead.hooked', ctx, id, { assignee });
      return this.loaded(id);
    });
  }

  claim(id: string, claimant: string, ctx: ChangeContext & ClaimOptions): Promise<Bead> {
    return this.write(() => {
      const now = ctx.now ?? new Date();
      const result = prepared(
        this.db,
        `UPDATE beads SET status = 'in_progress', assignee = :who, updated_at = :at,
                  lease_holder = :who, lease_expires_ms = :expires
            WHERE id = :id
              AND ((status IN ('open', 'hooked') AND (assignee IS NULL OR assignee = '' OR assignee = :who))
                OR (status = 'in_progress' AND assignee = :who))`,
      ).run({
        id,
        who: claimant,
        at: now.toISOString(),
        expires: ctx.leaseMs === undefined ? null : now.getTime() + ctx.leaseMs,
      });
      if (result.changes === 0) throw this.claimRefusal(id, claimant);
      this.record('bead.claimed', ctx, id, { claimant, lease_ms: ctx.leaseMs ?? null });
      return this.loaded(id);
    });
  }

  close(id: string, reason: string | undefined, ctx: ChangeContext): Promise<Bead> {
    return this.write(() => {
      const before = this.row(id);
      if (before.status === Status.closed) throw conflict(`bead ${id} is already closed`, id);
      const now = stamp(ctx);
      this.setColumns(id, {
        status: Status.closed,
        closed_at: now,
        close_reason: reason ?? null,
        updated_at: now,
        lease_holder: null,
        lease_expires_ms: null,
      });
      if (!finished(before.status)) refreshBlocked(this.db, blockedBy(this.db, id));
      this.record('bead.closed', ctx, id, { reason: reason ?? null, from: before.status });
      return this.loaded(id);
    });
  }

  reopen(id: string, ctx: ChangeContext): Promise<Bead> {
    return this.write(() => {
      const before = this.row(id);
      if (before.status !== Status.closed) throw conflict(`bead ${id} is ${before.status}, not closed`, id);
      this.setColumns(id, {
        status: Status.open,
        closed_at: null,
        close_reason: null,
        updated_at: stamp(ctx),
      });
      refreshBlocked(this.db, blockedBy(this.db, id));
      this.record('bead.reopened', ctx, id, {});
      return this.loaded(id);
    });
  }

  addDependency(issueId: string, dependsOnId: string, type: string, ctx: ChangeContext): Promise<Dependency> {
    return this.write(() => {
      check(fieldSchemas.dependencyType, type, 'dependency type');
      this.row(issueId);
      const dep = insertDependency(this.db, { issueId, dependsOnId, type }, ctx);
      if (affectsBlocking(type)) refreshBlocked(this.db, [issueId]);
      this.touch(issueId, ctx);
      this.record('dependency.added', ctx, issueId, { dependency: dep });
      return dep;
    });
  }

  removeDependency(issueId: string, dependsOnId: string, ctx: ChangeContext): Promise<void> {
    return this.write(() => {
      const removed = prepared<[string, string], { type: string }>(
        this.db,
        'DELETE FROM dependencies WHERE issue_id = ? AND depends_on_id = ? RETURNING type',
      ).get(issueId, dependsOnId);
      if (!removed) throw notFound('dependency', `${issueId} -> ${dependsOnId}`);
      if (affectsBlocking(removed.type)) refreshBlocked(this.db, [issueId]);
      this.touch(issueId, ctx);
      this.record('dependency.removed', ctx, issueId, { depends_on_id: dependsOnId });
    });
  }

  dependencies(id: string): Promise<{ dependencies: DependencyView[]; dependents: DependencyView[] }> {
    return this.read(() => dependencyViews(this.db, this.loaded(id)));
  }

  dependencyTree(id: string, options: { maxDepth?: number; reverse?: boolean } = {}): Promise<TreeNode[]> {
    return this.read(() => {
      this.row(id);
      return dependencyTree(this.db, id, options.maxDepth ?? 50, options.reverse ?? false);
    });
  }

  cycles(): Promise<string[][]> {
    return this.read(() => findCycles(this.db));
  }

  addLabel(id: string, label: string, ctx: ChangeContext): Promise<Bead> {
    return this.write(() => {
      check(fieldSchemas.label, label, 'label');
      this.row(id);
      const added = prepared(this.db, 'INSERT OR IGNORE INTO labels (issue_id, label) VALUES (?, ?)').run(
        id,
        label,
      );
      if (added.changes > 0) {
        this.touch(id, ctx);
        this.record('label.added', ctx, id, { label });
      }
      return this.loaded(id);
    });
  }

  removeLabel(id: string, label: string, ctx: ChangeContext): Promise<Bead> {
    return this.write(() => {
      this.row(id);
      const removed = prepared(this.db, 'DELETE FROM labels WHERE issue_id = ? AND label = ?').run(id, label);
      if (removed.changes > 0) {
        this.touch(id, ctx);
        this.record('label.removed', ctx, id, { label });
      }
      return this.loaded(id);
    });
  }

  addComment(id: string, text: string, ctx: ChangeContext): Promise<Comment> {
    return this.write(() => {
      if (text.trim() === '')
        throw new GasTownError(ErrorCode.invalidInput, 'invalid comment: text is required');
      this.row(id);
      const at = stamp(ctx);
      const result = prepared(
        this.db,
        'INSERT INTO comments (issue_id, author, text, created_at) VALUES (?, ?, ?, ?)',
      ).run(id, ctx.actor, text, at);
      const comment: Comment = {
        id: Number(result.lastInsertRowid),
        issue_id: id,
        author: ctx.actor,
        text,
        created_at: at,
      };
      this.touch(id, ctx);
      this.record('comment.added', ctx, id, { comment });
      return comment;
    });
  }

  ready(filter: ReadyFilter = {}): Promise<Bead[]> {
    return this.read(() => loadBeads(this.db, readyIds(this.db, filter)));
  }

  blocked(): Promise<BlockedBead[]> {
    return this.read(() => {
      const rows = blockedWithBlockers(this.db);
      const beads = loadBeads(
        this.db,
        rows.map((row) => row.id),
      );
      return beads.map((bead, n) => ({ bead, blocked_by: rows[n]!.blockers }));
    });
  }

  stats(now: Date = new Date()): Promise<Stats> {
    return this.read(() => storeStats(this.db, now));
  }

  delete(ids: string[], ctx: ChangeContext): Promise<Bead[]> {
    return this.write(() => {
      const unique = [...new Set(ids)];
      const beads = unique.map((id) => this.loaded(id));
      const params = { ids: JSON.stringify(unique) };
      const inSet = 'SELECT value FROM json_each(:ids)';
      const dependents = prepared<[Record<string, string>], { issue_id: string }>(
        this.db,
        `SELECT DISTINCT issue_id FROM dependencies WHERE depends_on_id IN (${inSet}) AND issue_id NOT IN (${inSet})`,
      )
        .all(params)
        .map((row) => row.issue_id);
      prepared(this.db, `DELETE FROM dependencies WHERE depends_on_id IN (${inSet})`).run(params);
      prepared(this.db, `DELETE FROM blocked_cache WHERE id IN (${inSet})`).run(params);
      prepared(this.db, `DELETE FROM beads WHERE id IN (${inSet})`).run(params);
      refreshBlocked(this.db, dependents);
      for (const bead of beads) this.record('bead.deleted', ctx, bead.id, { bead });
      return beads;
    });
  }

  exportAll(): Promise<Bead[]> {
    return this.read(() => loadAllBeads(this.db));
  }

  importAll(beads: Bead[], ctx: ChangeContext): Promise<ImportResult> {
    return this.write(() => {
      const result = importBeads(this.db, beads);
      rebuildBlocked(this.db);
      this.record('beads.imported', ctx, undefined, { ...result });
      return result;
    });
  }

  dispose(): Promise<void> {
    if (this.options.ownsDb) this.db.close();
    return Promise.resolve();
  }

  private write<T>(fn: () => T): Promise<T> {
    try {
      return Promise.resolve(this.db.transaction(fn).immediate());
    } catch (error) {
      return Promise.reject(translate(error));
    }
  }

  private read<T>(fn: () => T): Promise<T> {
    try {
      return Promise.resolve(this.db.transaction(fn).deferred());
    } catch (error) {
      return Promise.reject(translate(error));
    }
  }

  private row(id: string): BeadRow {
    const row = prepared<[string], BeadRow>(this.db, 'SELECT * FROM beads WHERE id = ?').get(id);
    if (!row) throw notFound('bead', id);
    return row;
  }

  private loaded(id: string): Bead {
    const bead = loadBead(this.db, id);
    if (!bead) throw notFound('bead', id);
    return bead;
  }

  private setColumns(id: string, values: Record<string, string | number | null>): void {
    const columns = Object.keys(values);
    const sql = `UPDATE beads SET ${columns.map((c) => `${c} = :${c}`).join(', ')} WHERE id = :id`;
    prepared(this.db, sql).run({ ...values, id });
  }

  private touch(id: string, ctx: ChangeContext): void {
    prepared(this.db, 'UPDATE beads SET updated_at = ? WHERE id = ?').run(stamp(ctx), id);
  }

  private claimRefusal(id: string, claimant: string): GasTownError {
    const row = this.row(id);
    if (row.assignee && row.assignee !== claimant && !finished(row.status)) {
      return new GasTownError(ErrorCode.alreadyClaimed, `bead ${id} is already claimed by ${row.assignee}`, {
        ids: { bead: id, claimant: row.assignee },
      });
    }
    return conflict(`bead ${id} cannot be claimed: it is ${row.status}, not open`, id);
  }

  private record(
    kind: ChangeKind,
    ctx: ChangeContext,
    beadId: string | undefined,
    payload: Record<string, unknown>,
  ): void {
    if (!this.options.recorder) return;
    const change: BeadChange = { kind, actor: ctx.actor, at: stamp(ctx), payload };
    if (beadId !== undefined) change.bead_id = beadId;
    this.options.recorder(change);
  }
}

function stamp(ctx: ChangeContext): string {
  return (ctx.now ?? new Date()).toISOString();
}

function conflict(message: string, id: string): GasTownError {
  return new GasTownError(ErrorCode.conflict, message, { ids: { bead: id } });
}

function translate(error: unknown): Error {
  if (error instanceof Error && 'code' in error && error.code === 'SQLITE_BUSY') {
    return new GasTownError(ErrorCode.conflict, 'the town database is busy; try again', {
      retryable: true,
      cause: error,
    });
  }
  return error instanceof Error ? error : new Error(String(error));
}
