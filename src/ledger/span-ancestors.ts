// The events a set of events descends from through parent spans: a bead the Mayor created points at
// the Mayor's plan or tool call, which points at the Overseer's request. The trace shows them above
// the bead's own events, so "why does this bead exist" has an answer.
import type Database from 'better-sqlite3';
import type { LedgerEvent, LedgerRow } from './event.js';
import { rowToEvent } from './event.js';

type Db = Database.Database;

/** How many span levels to climb; the chains we write are two or three deep. */
const maxDepth = 8;

/** Events (of any bead, or none) whose span is a parent of `events` or of an ancestor; by seq. */
export function spanAncestors(db: Db, events: readonly LedgerEvent[]): LedgerEvent[] {
  const known = new Set<string>();
  for (const event of events) if (event.span_id !== undefined) known.add(event.span_id);
  const seqs = new Set(events.map((event) => event.seq));
  const found: LedgerEvent[] = [];
  let wanted = missingParents(events, known);
  const query = db.prepare<[string], LedgerRow>('SELECT * FROM ledger WHERE span_id = ? ORDER BY seq');
  for (let depth = 0; depth < maxDepth && wanted.length > 0; depth++) {
    const level: LedgerEvent[] = [];
    for (const span of wanted) {
      known.add(span);
      for (const row of query.all(span)) {
        if (seqs.has(row.seq)) continue;
        seqs.add(row.seq);
        level.push(rowToEvent(row));
      }
    }
    found.push(...level);
    wanted = missingParents(level, known);
  }
  return found.sort((a, b) => a.seq - b.seq);
}

function missingParents(events: readonly LedgerEvent[], known: ReadonlySet<string>): string[] {
  const parents = new Set<string>();
  for (const event of events) {
    const parent = event.parent_span_id;
    if (parent !== undefined && !known.has(parent)) parents.add(parent);
  }
  return [...parents];
}
