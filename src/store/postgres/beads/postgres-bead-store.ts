// The PostgreSQL bead store: the same contract and semantics as the SQLite store, over a
// transaction source — a pool (each write its own transaction) or a unit of work's bound source
// (writes join it as savepoints). Writers that change edges or whether a bead is finished hold the
// graph lock, so the blocked cache, cycle checks and id allocation stay sound with many writers;
// claims and hooks are one conditional UPDATE and never wait for it.
import { ErrorCode, GasTownError, notFound } from '../../../errors.js';
import type { BeadChange, ChangeKind } from '../../../beads/changes.js';
import type { Bead, Comment, Dependency } from '../../../beads/model.js';
import { Status } from '../../../beads/model.js';
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
} from '../../../beads/store.js';
import { check, checkPatch, fieldSchemas } from '../../../beads/validate.js';
import type { SqlRunner, SqlValue, TxSource } from '../../sql.js';
import { blockedBy, lockGraph, rebuildBlocked, refreshBlocked } from './blocked-cache.js';
import { claimNextStatement, claimStatement, hookStatement } from './claims.js';
import { dependencyTree, findCycles } from './graph.js';
import type { HydratedRow } from './hydrate.js';
import { loadAllBeads, loadBead, loadBeads, toBead } from './hydrate.js';
import { deleteBeads } from './delete.js';
import { importBeads } from './import.js';
import { insertBead, insertDependency } from './insert.js';
import { blockedWithBlockers, listIds, readyIds } from './ready.js';
import { storeStats } from './stats.js';
import { dependencyViews, patchChanges, translate } from './support.js';
import { rawRunner, textSafe } from './text.js';
import {
  beadRow,
  claimRefusal,
  conflict,
  finished,
  loadedBead,
  setColumns,
  stamp,
  touchBead,
} from './bead-rows.js';

/**
 * Called inside the change's transaction with its runner, so the ledger can append on the same
 * transaction; throwing (or rejecting) rolls the change back.
 */
export type PostgresChangeRecorder = (change: BeadChange, tx: SqlRunner) => void | Promise<void>;

export interface PostgresBeadStoreOptions {
  recorder?: PostgresChangeRecorder;
  /** Run on dispose, e.g. ending a pool the store was given to own. */
  onDispose?: () => Promise<void>;
}

const affectsBlocking = (type: string): boolean =>
  type === 'blocks' || type === 'conditional-blocks' || type === 'parent-child';

/** Comment ids are max + 1 (as SQLite assigns them); this lock keeps two writers from sharing one. */
const commentLock = 'SELECT pg_advisory_xact_lock(1735680867)';

export class PostgresBeadStore implements BeadStore {
  constructor(
    private readonly source: TxSource,
    private readonly options: PostgresBeadStoreOptions = {},
  ) {}

  create(input: NewBead, ctx: ChangeContext): Promise<Bead> {
    return this.write(async (sql) => {
      await lockGraph(sql);
      const id = await insertBead(sql, input, ctx);
      const bead = await loadedBead(sql, id);
      if (bead.dependencies.length > 0) await refreshBlocked(sql, [bead.id]);
      await this.record(sql, 'bead.created', ctx, bead.id, { bead });
      return bead;
    });
  }

  get(id: string): Promise<Bead | undefined> {
    return this.read((sql) => loadBead(sql, id));
  }

  async require(id: string): Promise<Bead> {
    const bead = await this.get(id);
    if (!bead) throw notFound('bead', id);
    return bead;
  }

  list(filter: ListFilter = {}): Promise<Bead[]> {
    return this.read(async (sql) => loadBeads(sql, await listIds(sql, filter)));
  }

  update(id: string, patch: BeadPatch, ctx: ChangeContext): Promise<Bead> {
    return this.write(async (sql) => {
      checkPatch(patch);
      if (patch.status !== undefined) await lockGraph(sql);
      const before = await beadRow(sql, id, true);
      const now = stamp(ctx);
      const { set, changed } = patchChanges(before, patch, now);
      if (Object.keys(changed).length > 0) {
        await setColumns(sql, id, { ...set, updated_at: now });
        if (set.status !== undefined && finished(before.status) !== finished(set.status as string)) {
          await refreshBlocked(sql, await blockedBy(sql, id));
        }
        await this.record(sql, 'bead.updated', ctx, id, { changed });
      }
      return loadedBead(sql, id);
    });
  }

  hook(id: string, assignee: string, ctx: ChangeContext): Promise<Bead> {
    const statement = hookStatement({ id, who: assignee, at: stamp(ctx) });
    return this.conditional(statement, id, assignee, (sql) =>
      this.record(sql, 'bead.hooked', ctx, id, { assignee }),
    );
  }

  claim(id: string, claimant: string, ctx: ChangeContext & ClaimOptions): Promise<Bead> {
    const now = ctx.now ?? new Date();
    const expires = ctx.leaseMs === undefined ? null : now.getTime() + ctx.leaseMs;
    const statement = claimStatement({ id, who: claimant, at: now.toISOString(), expires });
    return this.conditional(statement, id, claimant, (sql) =>
      this.record(sql, 'bead.claimed', ctx, id, { claimant, lease_ms: ctx.leaseMs ?? null }),
    );
  }

  /**
   * Claims the best unassigned ready bead (priority order, or `oldest`), skipping beads another
   * claimant has locked this instant; undefined when nothing is ready. PostgreSQL only: one
   * statement, and concurrent claimants never collide on a bead.
   */
  claimNext(
    claimant: string,
    filter: ReadyFilter,
    ctx: ChangeContext & ClaimOptions,
  ): Promise<Bead | undefined> {
    const now = ctx.now ?? new Date();
    const expires = ctx.leaseMs === undefined ? null : now.getTime() + ctx.leaseMs;
    const [text, params] = claimNextStatement(
      filter,
      { who: claimant, at: now.toISOString(), expires },
      (filter.now ?? now).getTime(),
    );
    const run = async (sql: SqlRunner): Promise<Bead | undefined> => {
      const row = await sql.get<HydratedRow>(text, params);
      if (!row) return undefined;
      await this.record(sql, 'bead.claimed', ctx, row.id, { claimant, lease_ms: ctx.leaseMs ?? null });
      return toBead(row);
    };
    return this.options.recorder ? this.write(run) : this.single(run);
  }

  close(id: string, reason: string | undefined, ctx: ChangeContext): Promise<Bead> {
    return this.write(async (sql) => {
      await lockGraph(sql);
      const before = await beadRow(sql, id, true);
      if (before.status === Status.closed) throw conflict(`bead ${id} is already closed`, id);
      const now = stamp(ctx);
      await setColumns(sql, id, {
        status: Status.closed,
        closed_at: now,
        close_reason: reason ?? null,
        updated_at: now,
        lease_holder: null,
        lease_expires_ms: null,
      });
      if (!finished(before.status)) await refreshBlocked(sql, await blockedBy(sql, id));
      await this.record(sql, 'bead.closed', ctx, id, { reason: reason ?? null, from: before.status });
      return loadedBead(sql, id);
    });
  }

  reopen(id: string, ctx: ChangeContext): Promise<Bead> {
    return this.write(async (sql) => {
      await lockGraph(sql);
      const before = await beadRow(sql, id, true);
      if (before.status !== Status.closed) throw conflict(`bead ${id} is ${before.status}, not closed`, id);
      await setColumns(sql, id, {
        status: Status.open,
        closed_at: null,
        close_reason: null,
        updated_at: stamp(ctx),
      });
      await refreshBlocked(sql, await blockedBy(sql, id));
      await this.record(sql, 'bead.reopened', ctx, id, {});
      return loadedBead(sql, id);
    });
  }

  addDependency(issueId: string, dependsOnId: string, type: string, ctx: ChangeContext): Promise<Dependency> {
    return this.write(async (sql) => {
      check(fieldSchemas.dependencyType, type, 'dependency type');
      await lockGraph(sql);
      await beadRow(sql, issueId);
      const dep = await insertDependency(sql, { issueId, dependsOnId, type }, ctx);
      if (affectsBlocking(type)) await refreshBlocked(sql, [issueId]);
      await touchBead(sql, issueId, ctx);
      await this.record(sql, 'dependency.added', ctx, issueId, { dependency: dep });
      return dep;
    });
  }

  removeDependency(issueId: string, dependsOnId: string, ctx: ChangeContext): Promise<void> {
    return this.write(async (sql) => {
      await lockGraph(sql);
      const removed = await sql.get<{ type: string }>(
        'DELETE FROM dependencies WHERE issue_id = ? AND depends_on_id = ? RETURNING type',
        [issueId, dependsOnId],
      );
      if (!removed) throw notFound('dependency', `${issueId} -> ${dependsOnId}`);
      if (affectsBlocking(removed.type)) await refreshBlocked(sql, [issueId]);
      await touchBead(sql, issueId, ctx);
      await this.record(sql, 'dependency.removed', ctx, issueId, { depends_on_id: dependsOnId });
    });
  }

  dependencies(id: string): Promise<{ dependencies: DependencyView[]; dependents: DependencyView[] }> {
    return this.read(async (sql) => dependencyViews(sql, await loadedBead(sql, id)));
  }

  dependencyTree(id: string, options: { maxDepth?: number; reverse?: boolean } = {}): Promise<TreeNode[]> {
    return this.read(async (sql) => {
      await beadRow(sql, id);
      return dependencyTree(sql, id, options.maxDepth ?? 50, options.reverse ?? false);
    });
  }

  cycles(): Promise<string[][]> {
    return this.read((sql) => findCycles(sql));
  }

  addLabel(id: string, label: string, ctx: ChangeContext): Promise<Bead> {
    return this.write(async (sql) => {
      check(fieldSchemas.label, label, 'label');
      await beadRow(sql, id);
      const added = await sql.run(
        'INSERT INTO labels (issue_id, label) VALUES (?, ?) ON CONFLICT DO NOTHING',
        [id, label],
      );
      if (added.changes > 0) {
        await touchBead(sql, id, ctx);
        await this.record(sql, 'label.added', ctx, id, { label });
      }
      return loadedBead(sql, id);
    });
  }

  removeLabel(id: string, label: string, ctx: ChangeContext): Promise<Bead> {
    return this.write(async (sql) => {
      await beadRow(sql, id);
      const removed = await sql.run('DELETE FROM labels WHERE issue_id = ? AND label = ?', [id, label]);
      if (removed.changes > 0) {
        await touchBead(sql, id, ctx);
        await this.record(sql, 'label.removed', ctx, id, { label });
      }
      return loadedBead(sql, id);
    });
  }

  addComment(id: string, text: string, ctx: ChangeContext): Promise<Comment> {
    return this.write(async (sql) => {
      if (text.trim() === '')
        throw new GasTownError(ErrorCode.invalidInput, 'invalid comment: text is required');
      await sql.run(commentLock);
      await beadRow(sql, id);
      const at = stamp(ctx);
      const inserted = await sql.get<{ id: number }>(
        `INSERT INTO comments (id, issue_id, author, text, created_at)
         SELECT coalesce(max(id), 0) + 1, ?, ?, ?, ? FROM comments RETURNING id`,
        [id, ctx.actor, text, at],
      );
      const comment: Comment = { id: inserted!.id, issue_id: id, author: ctx.actor, text, created_at: at };
      await touchBead(sql, id, ctx);
      await this.record(sql, 'comment.added', ctx, id, { comment });
      return comment;
    });
  }

  ready(filter: ReadyFilter = {}): Promise<Bead[]> {
    return this.read(async (sql) => loadBeads(sql, await readyIds(sql, filter)));
  }

  /** The ready set's ids alone, in the same order as `ready` (no relations loaded). */
  readyIds(filter: ReadyFilter = {}): Promise<string[]> {
    return this.read((sql) => readyIds(sql, filter));
  }

  blocked(): Promise<BlockedBead[]> {
    return this.read(async (sql) => {
      const rows = await blockedWithBlockers(sql);
      const beads = await loadBeads(
        sql,
        rows.map((row) => row.id),
      );
      return beads.map((bead, n) => ({ bead, blocked_by: rows[n]!.blockers }));
    });
  }

  stats(now: Date = new Date()): Promise<Stats> {
    return this.read((sql) => storeStats(sql, now));
  }

  delete(ids: string[], ctx: ChangeContext): Promise<Bead[]> {
    return this.write(async (sql) => {
      const beads = await deleteBeads(sql, ids);
      for (const bead of beads) await this.record(sql, 'bead.deleted', ctx, bead.id, { bead });
      return beads;
    });
  }

  exportAll(): Promise<Bead[]> {
    return this.read((sql) => loadAllBeads(sql));
  }

  importAll(beads: Bead[], ctx: ChangeContext): Promise<ImportResult> {
    return this.write(async (sql) => {
      await lockGraph(sql);
      await sql.run(commentLock);
      const result = await importBeads(sql, beads);
      await rebuildBlocked(sql);
      await this.record(sql, 'beads.imported', ctx, undefined, { ...result });
      return result;
    });
  }

  async dispose(): Promise<void> {
    await this.options.onDispose?.();
  }

  private async write<T>(fn: (sql: SqlRunner) => Promise<T>): Promise<T> {
    try {
      return await this.source.transaction((sql) => fn(textSafe(sql)));
    } catch (error) {
      throw translate(error);
    }
  }

  private async read<T>(fn: (sql: SqlRunner) => Promise<T>): Promise<T> {
    try {
      return await this.source.read((sql) => fn(textSafe(sql)));
    } catch (error) {
      throw translate(error);
    }
  }

  /** One statement, atomic on its own: no BEGIN/COMMIT round trips (joins a unit of work's transaction). */
  private single<T>(fn: (sql: SqlRunner) => Promise<T>): Promise<T> {
    return this.read(fn);
  }

  /** A claim or hook: the conditional UPDATE, then the recorder in the same transaction if there is one. */
  private conditional(
    [text, params]: [string, SqlValue[]],
    id: string,
    claimant: string,
    record: (sql: SqlRunner) => Promise<void>,
  ): Promise<Bead> {
    const run = async (sql: SqlRunner): Promise<Bead> => {
      const row = await sql.get<HydratedRow>(text, params);
      if (!row) throw await claimRefusal(sql, id, claimant);
      await record(sql);
      return toBead(row);
    };
    return this.options.recorder ? this.write(run) : this.single(run);
  }

  private async record(
    sql: SqlRunner,
    kind: ChangeKind,
    ctx: ChangeContext,
    beadId: string | undefined,
    payload: Record<string, unknown>,
  ): Promise<void> {
    if (!this.options.recorder) return;
    const change: BeadChange = { kind, actor: ctx.actor, at: stamp(ctx), payload };
    if (beadId !== undefined) change.bead_id = beadId;
    await this.options.recorder(change, rawRunner(sql));
  }
}
