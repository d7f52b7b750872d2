// What the demo did, counted from the town's own records: merges from the merge queue; reworks,
// denials and asks from the ledger.
import type { TownServices } from '../town/services.js';

export interface DemoSummary {
  landed: boolean;
  merged: number;
  reworked: number;
  denied: number;
  asked: number;
  seconds: number;
  verified: boolean;
  events: number;
}

export function demoSummary(town: TownServices, elapsedMs: number, landed: boolean): DemoSummary {
  const count = (sql: string): number => town.db.prepare(sql).pluck().get() as number;
  return {
    landed,
    merged: count(`SELECT count(*) FROM merge_requests WHERE state = 'merged'`),
    reworked: count(`SELECT count(*) FROM ledger WHERE kind IN ('witness.rework', 'merge.rework')`),
    denied: count(
      `SELECT count(*) FROM ledger WHERE kind = 'tool.call' AND json_extract(payload, '$.decision') = 'deny'`,
    ),
    asked: count(`SELECT count(*) FROM ledger WHERE kind = 'approval.requested'`),
    seconds: Math.round(elapsedMs / 100) / 10,
    verified: false,
    events: 0,
  };
}
