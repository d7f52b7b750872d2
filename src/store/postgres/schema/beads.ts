// The beads aggregate's PostgreSQL schema: beads, labels, dependencies, comments, the blocked cache
// and the dotted-child counters. The migration runner composes this module with the other
// aggregates'. Text is compared and ordered as bytes (COLLATE "C"), as SQLite does, so ids sort
// and range-scan the same on both backends. Relations carry a `seq` so they come back in the order
// they were added (SQLite's rowid), which keeps an import → export round trip byte for byte.

const text = 'TEXT COLLATE "C"';

export const beadsSchema = `
  CREATE TABLE beads (
    id ${text} PRIMARY KEY,
    title ${text} NOT NULL,
    description ${text},
    design ${text},
    acceptance_criteria ${text},
    notes ${text},
    status ${text} NOT NULL,
    priority INTEGER NOT NULL,
    issue_type ${text} NOT NULL,
    assignee ${text},
    owner ${text},
    estimated_minutes BIGINT,
    created_at ${text} NOT NULL,
    created_ms BIGINT NOT NULL,
    created_by ${text},
    updated_at ${text} NOT NULL,
    closed_at ${text},
    close_reason ${text},
    external_ref ${text},
    defer_until ${text},
    defer_ms BIGINT,
    due_at ${text},
    deleted_at ${text},
    deleted_by ${text},
    delete_reason ${text},
    original_type ${text},
    lease_holder ${text},
    lease_expires_ms BIGINT,
    extra ${text}
  );
  CREATE INDEX beads_status ON beads (status, priority, created_ms);
  CREATE INDEX beads_assignee ON beads (assignee) WHERE assignee IS NOT NULL;
  -- The ready query walks one of these two and stops at its limit (priority order, age order);
  -- with defer_ms included it reads no table rows once the visibility map is set.
  CREATE INDEX beads_open_priority ON beads (priority, created_ms, id) INCLUDE (defer_ms) WHERE status = 'open';
  CREATE INDEX beads_open_created ON beads (created_ms, id) INCLUDE (defer_ms) WHERE status = 'open';

  CREATE TABLE labels (
    issue_id ${text} NOT NULL REFERENCES beads (id) ON DELETE CASCADE,
    label ${text} NOT NULL,
    seq BIGINT GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (issue_id, label)
  );
  CREATE INDEX labels_label ON labels (label);

  CREATE TABLE dependencies (
    issue_id ${text} NOT NULL REFERENCES beads (id) ON DELETE CASCADE,
    depends_on_id ${text} NOT NULL,
    type ${text} NOT NULL,
    created_at ${text} NOT NULL,
    created_by ${text},
    extra ${text},
    seq BIGINT GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (issue_id, depends_on_id)
  );
  CREATE INDEX dependencies_target ON dependencies (depends_on_id, type);
  CREATE INDEX dependencies_type ON dependencies (type, depends_on_id);

  -- Comment ids are max + 1 under a transaction lock (as SQLite's INTEGER PRIMARY KEY), so an
  -- imported comment keeps its id and new ones follow it.
  CREATE TABLE comments (
    id BIGINT PRIMARY KEY,
    issue_id ${text} NOT NULL REFERENCES beads (id) ON DELETE CASCADE,
    author ${text} NOT NULL,
    text ${text} NOT NULL,
    created_at ${text} NOT NULL,
    extra ${text}
  );
  CREATE INDEX comments_issue ON comments (issue_id, id);

  -- Ids of beads held back by an unclosed blocker, directly or through a parent; maintained by the
  -- store (under the graph lock) so the ready query is a plain anti-join.
  CREATE TABLE blocked_cache (id ${text} PRIMARY KEY);

  CREATE TABLE child_counters (
    parent_id ${text} PRIMARY KEY,
    last_child BIGINT NOT NULL
  );
`;

/** Tables of this aggregate, children first: the order to drop or empty them in. */
export const beadsTables = [
  'comments',
  'labels',
  'dependencies',
  'blocked_cache',
  'child_counters',
  'beads',
] as const;
