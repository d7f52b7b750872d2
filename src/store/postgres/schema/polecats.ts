// PostgreSQL DDL for polecats (translated from src/db/migrations.ts, final state): one row per
// worker name in a rig; its worktree lives at <rig>/polecats/<name>/.
export const polecatsDdl = `
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
`;
