// Finds the event that opened a span: first in the batch being exported, then in the ledger
// (a session opened in an earlier batch), with every ledger answer cached for one export.
import type Database from 'better-sqlite3';
import type { LedgerEvent, LedgerRow } from '../event.js';
import { rowToEvent } from '../event.js';
import { spanEventKinds } from './conventions.js';
import { isOpeningKind } from './conventions.js';
import { validSpanId } from './ids.js';

export interface OpenerDirectory {
  /** The `session.started` or `tool.call` that opened this span id, if any. */
  openerOf(spanId: string, sessionHint?: string): LedgerEvent | undefined;
  /** The `session.started` of this session, if any. */
  sessionOpener(sessionId: string): LedgerEvent | undefined;
}

const openers = `('${spanEventKinds.sessionStarted}', '${spanEventKinds.toolCall}')`;

/** Lookups in the ledger. Without an index on span_id the first query scans; see the report. */
export function ledgerDirectory(db: Database.Database): OpenerDirectory {
  const bySpanInSession = db.prepare<[string, string], LedgerRow>(
    `SELECT * FROM ledger WHERE session_id = ? AND span_id = ? AND kind IN ${openers} ORDER BY seq LIMIT 1`,
  );
  const bySpan = db.prepare<[string], LedgerRow>(
    `SELECT * FROM ledger WHERE span_id = ? AND kind IN ${openers} ORDER BY seq LIMIT 1`,
  );
  const bySession = db.prepare<[string], LedgerRow>(
    `SELECT * FROM ledger WHERE session_id = ? AND kind = '${spanEventKinds.sessionStarted}' ORDER BY seq LIMIT 1`,
  );
  const spans = new Map<string, LedgerEvent | undefined>();
  const sessions = new Map<string, LedgerEvent | undefined>();
  const event = (row: LedgerRow | undefined): LedgerEvent | undefined => (row ? rowToEvent(row) : undefined);
  return {
    openerOf(spanId, sessionHint) {
      if (!spans.has(spanId)) {
        const hinted = sessionHint === undefined ? undefined : bySpanInSession.get(sessionHint, spanId);
        spans.set(spanId, event(hinted ?? bySpan.get(spanId)));
      }
      return spans.get(spanId);
    },
    sessionOpener(sessionId) {
      if (!sessions.has(sessionId)) sessions.set(sessionId, event(bySession.get(sessionId)));
      return sessions.get(sessionId);
    },
  };
}

export function openingSpanId(event: LedgerEvent): string | undefined {
  return isOpeningKind(event.kind) ? validSpanId(event.span_id) : undefined;
}

/** The batch's own openers in front of a fallback (the ledger). The first opener of an id wins. */
export function batchDirectory(events: readonly LedgerEvent[], fallback: OpenerDirectory): OpenerDirectory {
  const spans = new Map<string, LedgerEvent>();
  const sessions = new Map<string, LedgerEvent>();
  for (const event of events) {
    const spanId = openingSpanId(event);
    if (spanId === undefined) continue;
    if (!spans.has(spanId)) spans.set(spanId, event);
    if (
      event.kind === spanEventKinds.sessionStarted &&
      event.session_id !== undefined &&
      !sessions.has(event.session_id)
    ) {
      sessions.set(event.session_id, event);
    }
  }
  return {
    openerOf: (spanId, hint) => spans.get(spanId) ?? fallback.openerOf(spanId, hint),
    sessionOpener: (sessionId) => sessions.get(sessionId) ?? fallback.sessionOpener(sessionId),
  };
}
