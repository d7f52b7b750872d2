// PostgreSQL DDL for town-wide switches (the e-stop) and the daemon's record of itself (translated
// from src/db/migrations.ts, final state).
export const townStateDdl = `
CREATE TABLE town_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`;
