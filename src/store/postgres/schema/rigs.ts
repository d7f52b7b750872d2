// PostgreSQL DDL for rigs (translated from src/db/migrations.ts, final state): one row per git
// repository the town works on.
export const rigsDdl = `
CREATE TABLE rigs (
  name TEXT PRIMARY KEY,
  prefix TEXT NOT NULL UNIQUE,
  git_url TEXT NOT NULL,
  branch TEXT NOT NULL,
  check_command TEXT,
  created_at TEXT NOT NULL
);
`;
