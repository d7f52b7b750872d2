// PostgreSQL DDL for convoys (translated from src/db/migrations.ts, final state): named groups of
// beads that land together.
export const convoysDdl = `
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
`;
