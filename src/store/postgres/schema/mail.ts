// PostgreSQL DDL for mail between actors (translated from src/db/migrations.ts, final state).
export const mailDdl = `
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
`;
