// PostgreSQL DDL for agent sessions (translated from src/db/migrations.ts, final state: version 2
// added the agent's own conversation id and the token and cost totals).
export const sessionsDdl = `
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  rig TEXT NOT NULL,
  polecat TEXT NOT NULL,
  bead_id TEXT NOT NULL,
  runtime TEXT NOT NULL,
  state TEXT NOT NULL,
  pid BIGINT,
  pgid BIGINT,
  tool_calls BIGINT NOT NULL DEFAULT 0,
  started_at TEXT NOT NULL,
  heartbeat_at TEXT NOT NULL,
  ended_at TEXT,
  outcome TEXT,
  agent_ref TEXT,
  input_tokens BIGINT NOT NULL DEFAULT 0,
  output_tokens BIGINT NOT NULL DEFAULT 0,
  cost_usd DOUBLE PRECISION NOT NULL DEFAULT 0
);
CREATE INDEX sessions_bead ON sessions(bead_id);
`;
