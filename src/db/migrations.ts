// Versioned schema migrations for `.gt/town.db`. The version lives in `PRAGMA user_version`; each
// migration runs in its own transaction, so a crash leaves the file at a whole version. Append new
// migrations at the end; never edit one that has shipped.
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'beads and rigs',
    sql: `
      CREATE TABLE beads (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        description TEXT,
        design TEXT,
        acceptance_criteria TEXT,
        notes TEXT,
        status TEXT NOT NULL,
        priority INTEGER NOT NULL,
        issue_type TEXT NOT NULL,
        assignee TEXT,
        owner TEXT,
        estimated_minutes INTEGER,
        created_at TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        created_by TEXT,
        updated_at TEXT NOT NULL,
        closed_at TEXT,
        close_reason TEXT,
        external_ref TEXT,
        defer_until TEXT,
        defer_ms INTEGER,
        due_at TEXT,
        deleted_at TEXT,
        deleted_by TEXT,
        delete_reason TEXT,
        original_type TEXT,
        lease_holder TEXT,
        lease_expires_ms INTEGER,
        extra TEXT
      );
      CREATE INDEX beads_status ON beads(status, priority, created_ms);
      CREATE INDEX beads_status_created ON beads(status, created_ms);
      CREATE INDEX beads_assignee ON beads(assignee) WHERE assignee IS NOT NULL;

      CREATE TABLE labels (
        issue_id TEXT NOT NULL REFERENCES beads(id) ON DELETE CASCADE,
        label TEXT NOT NULL,
        PRIMARY KEY (issue_id, label)
      );
      CREATE INDEX labels_label ON labels(label);

      CREATE TABLE dependencies (
        issue_id TEXT NOT NULL REFERENCES beads(id) ON DELETE CASCADE,
        depends_on_id TEXT NOT NULL,
        type TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT,
        extra TEXT,
        PRIMARY KEY (issue_id, depends_on_id)
      );
      CREATE INDEX dependencies_target ON dependencies(depends_on_id, type);
      CREATE INDEX dependencies_type ON dependencies(type, depends_on_id);

      CREATE TABLE comments (
        id INTEGER PRIMARY KEY,
        issue_id TEXT NOT NULL REFERENCES beads(id) ON DELETE CASCADE,
        author TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        extra TEXT
      );
      CREATE INDEX comments_issue ON comments(issue_id, id);

      -- Ids of beads held back by an unclosed blocker, directly or through a parent; maintained
      -- incrementally by the store so the ready query is a plain anti-join.
      CREATE TABLE blocked_cache (id TEXT PRIMARY KEY) WITHOUT ROWID;

      CREATE TABLE child_counters (
        parent_id TEXT PRIMARY KEY,
        last_child INTEGER NOT NULL
      );

      -- The ledger (DESIGN §8): append-only, hash-chained; large payloads live in ledger_blobs.
      CREATE TABLE ledger (
        seq INTEGER PRIMARY KEY,
        ts TEXT NOT NULL,
        kind TEXT NOT NULL,
        actor TEXT NOT NULL,
        bead_id TEXT,
        session_id TEXT,
        trace_id TEXT,
        span_id TEXT,
        parent_span_id TEXT,
        payload TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX ledger_bead ON ledger(bead_id, seq) WHERE bead_id IS NOT NULL;
      CREATE INDEX ledger_actor ON ledger(actor, seq);
      CREATE INDEX ledger_session ON ledger(session_id, seq) WHERE session_id IS NOT NULL;
      CREATE INDEX ledger_span ON ledger(span_id, seq) WHERE span_id IS NOT NULL;
      CREATE TABLE ledger_blobs (
        hash TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        content BLOB NOT NULL
      );
      CREATE TABLE ledger_checkpoints (
        id INTEGER PRIMARY KEY,
        size INTEGER NOT NULL,
        merkle_root TEXT NOT NULL,
        head_hash TEXT NOT NULL,
        time TEXT NOT NULL,
        key_id TEXT NOT NULL,
        signature TEXT NOT NULL
      );

      -- Polecats: one row per worker name in a rig; its worktree lives at <rig>/polecats/<name>/.
      CREATE TABLE polecats (
        rig TEXT NOT NULL,
        name TEXT NOT NULL,
        state TEXT NOT NULL,
        bead_id TEXT,
        branch TEXT,
        worktree TEXT,
        session_id TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (rig, name)
      );
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        rig TEXT NOT NULL,
        polecat TEXT NOT NULL,
        bead_id TEXT NOT NULL,
        runtime TEXT NOT NULL,
        state TEXT NOT NULL,
        pid INTEGER,
        pgid INTEGER,
        tool_calls INTEGER NOT NULL DEFAULT 0,
        started_at TEXT NOT NULL,
        heartbeat_at TEXT NOT NULL,
        ended_at TEXT,
        outcome TEXT
      );
      CREATE INDEX sessions_bead ON sessions(bead_id);
      CREATE TABLE approvals (
        id INTEGER PRIMARY KEY,
        session_id TEXT NOT NULL,
        bead_id TEXT NOT NULL,
        rig TEXT NOT NULL,
        polecat TEXT NOT NULL,
        tool TEXT NOT NULL,
        command TEXT,
        part TEXT,
        path TEXT,
        rule TEXT NOT NULL,
        reason TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        decided_by TEXT,
        decided_at TEXT,
        decision_reason TEXT
      );
      CREATE INDEX approvals_pending ON approvals(status) WHERE status = 'pending';

      -- The merge queue (owned by the Refinery): one row per branch the Witness accepted.
      CREATE TABLE merge_requests (
        id INTEGER PRIMARY KEY,
        rig TEXT NOT NULL,
        bead_id TEXT NOT NULL,
        polecat TEXT NOT NULL,
        branch TEXT NOT NULL,
        head_commit TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        merged_commit TEXT,
        pr_url TEXT,
        detail TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX merge_requests_queue ON merge_requests(rig, state, id);
      CREATE UNIQUE INDEX merge_requests_head ON merge_requests(bead_id, head_commit);

      -- Convoys: named groups of beads that land together.
      CREATE TABLE convoys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        state TEXT NOT NULL,
        created_at TEXT NOT NULL,
        launched_at TEXT,
        landed_at TEXT
      );
      CREATE TABLE convoy_beads (
        convoy_id TEXT NOT NULL REFERENCES convoys(id) ON DELETE CASCADE,
        bead_id TEXT NOT NULL,
        rig TEXT NOT NULL,
        PRIMARY KEY (convoy_id, bead_id)
      );

      -- Escalations to the Overseer; duplicates fold into one row (same key) with a count.
      CREATE TABLE escalations (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL,
        kind TEXT NOT NULL,
        rig TEXT,
        bead_id TEXT,
        summary TEXT NOT NULL,
        count INTEGER NOT NULL DEFAULT 1,
        state TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE UNIQUE INDEX escalations_open_key ON escalations(key) WHERE state <> 'closed';

      -- Town-wide switches (the e-stop) and the daemon's record of itself.
      CREATE TABLE town_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE rigs (
        name TEXT PRIMARY KEY,
        prefix TEXT NOT NULL UNIQUE,
        git_url TEXT NOT NULL,
        branch TEXT NOT NULL,
        check_command TEXT,
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'agents: usage, mail, nudges, resumable sessions',
    sql: `
      -- The agent's own conversation id (Claude Code's session_id, Codex's thread), for --resume.
      ALTER TABLE sessions ADD COLUMN agent_ref TEXT;
      ALTER TABLE sessions ADD COLUMN input_tokens INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE sessions ADD COLUMN output_tokens INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE sessions ADD COLUMN cost_usd REAL NOT NULL DEFAULT 0;

      -- One row per usage report of a model call; the ledger holds the same as session.usage.
      CREATE TABLE usage (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        day TEXT NOT NULL,
        session_id TEXT,
        bead_id TEXT,
        rig TEXT,
        agent TEXT NOT NULL,
        model TEXT,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        cache_read_tokens INTEGER NOT NULL DEFAULT 0,
        cache_write_tokens INTEGER NOT NULL DEFAULT 0,
        cost_usd REAL NOT NULL,
        -- 'agent' when the agent reported its cost, 'prices' when the price table priced it.
        cost_source TEXT NOT NULL,
        -- 1 when no price matched the model (a local model): cost_usd is 0 and says nothing.
        unpriced INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX usage_bead ON usage(bead_id);
      CREATE INDEX usage_day ON usage(day);
      CREATE INDEX usage_session ON usage(session_id);

      CREATE TABLE mail (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        from_actor TEXT NOT NULL,
        to_actor TEXT NOT NULL,
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        bead_id TEXT,
        convoy_id TEXT,
        read_at TEXT
      );
      CREATE INDEX mail_to ON mail(to_actor, read_at);

      -- Nudges wait here until the process running the session delivers them into it.
      CREATE TABLE nudges (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        rig TEXT NOT NULL,
        polecat TEXT NOT NULL,
        session_id TEXT,
        from_actor TEXT NOT NULL,
        -- 'nudge': a message into the session; 'handoff': stop it so a new session takes over.
        kind TEXT NOT NULL DEFAULT 'nudge',
        text TEXT NOT NULL,
        delivered_at TEXT
      );
      CREATE INDEX nudges_pending ON nudges(rig, polecat, delivered_at);
    `,
  },
  {
    version: 3,
    name: 'owned lifecycles: an idle polecat holds nothing',
    sql: `
      -- A failed sling used to leave its polecat idle with the bead, branch and worktree it never
      -- got; the polecat lifecycle reads an idle row with any of them as impossible.
      UPDATE polecats SET bead_id = NULL, branch = NULL, worktree = NULL, session_id = NULL
        WHERE state = 'idle';
    `,
  },
];

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Database.Database): void {
  const current = schemaVersion(db);
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (current > latest) {
    throw new Error(`town.db is at schema version ${current}, newer than this gt (${latest}); upgrade gt`);
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      // Another process may have applied it while we waited for the write lock.
      if (schemaVersion(db) >= migration.version) return;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
