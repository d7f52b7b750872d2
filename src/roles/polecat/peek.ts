// The transcript of a polecat's session, read back from the ledger: what the agent said and thought,
// each tool call with the policy's decision, a short result, usage, nudges that reached it. `gt peek`
// shows the current (or last) session and, following, walks on into the session a handoff started.
import type { Db } from '../../db/open.js';
import type { LedgerEvent, LedgerRow } from '../../ledger/event.js';
import { isBlobRef, rowToEvent } from '../../ledger/event.js';
import { describeEvent } from '../../ledger/index.js';

export interface PeekSession {
  id: string;
  rig: string;
  polecat: string;
  bead_id: string;
  runtime: string;
  state: string;
  started_at: string;
  ended_at: string | null;
  outcome: string | null;
}

const sessionColumns = 'id, rig, polecat, bead_id, runtime, state, started_at, ended_at, outcome';

/** The polecat's newest session (running or not), if it ever had one. */
export function latestSession(db: Db, rig: string, polecat: string): PeekSession | undefined {
  return db
    .prepare<[string, string], PeekSession>(
      `SELECT ${sessionColumns} FROM sessions WHERE rig = ? AND polecat = ? ORDER BY started_at DESC, rowid DESC LIMIT 1`,
    )
    .get(rig, polecat);
}

export function getSession(db: Db, id: string): PeekSession | undefined {
  return db.prepare<[string], PeekSession>(`SELECT ${sessionColumns} FROM sessions WHERE id = ?`).get(id);
}

/** The session that continued `session` after a handoff (same polecat and bead, started later). */
export function successorOf(db: Db, session: PeekSession): PeekSession | undefined {
  if (session.outcome !== 'handoff') return undefined;
  return db
    .prepare<[string, string, string, string, string], PeekSession>(
      `SELECT ${sessionColumns} FROM sessions WHERE rig = ? AND polecat = ? AND bead_id = ?
         AND started_at >= ? AND id <> ? ORDER BY started_at, rowid LIMIT 1`,
    )
    .get(session.rig, session.polecat, session.bead_id, session.started_at, session.id);
}

/** The session's ledger events after `afterSeq`, oldest first. */
export function sessionEvents(db: Db, sessionId: string, afterSeq = 0): LedgerEvent[] {
  return db
    .prepare<[string, number], LedgerRow>(
      'SELECT * FROM ledger WHERE session_id = ? AND seq > ? ORDER BY seq',
    )
    .all(sessionId, afterSeq)
    .map((row) => rowToEvent(row));
}

const text = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : isBlobRef(value)
      ? `<${value.bytes} bytes>`
      : JSON.stringify(value ?? '');

/** The first lines of a text, clipped: enough to see what a result was. */
export function short(value: unknown, max = 160): string {
  const full = text(value).trim();
  const line = full.split('\n').slice(0, 3).join(' ⏎ ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** One transcript line per event; undefined for events that are not part of the conversation. */
export function transcriptLine(event: LedgerEvent): string | undefined {
  const p = event.payload;
  const time = event.ts.slice(11, 19);
  const say = (who: string, what: string) => `${time} ${who} ${what}`;
  switch (event.kind) {
    case 'session.started':
      return say('──', `session ${event.session_id ?? ''} started (${text(p.agent)} on ${text(p.branch)})`);
    case 'session.ended':
      return say('──', `session ended: ${text(p.outcome)} — ${short(p.summary)}`);
    case 'agent.message':
      return say('agent:', text(p.text));
    case 'agent.reasoning':
      return say('thinking:', short(p.text, 400));
    case 'tool.call': {
      const what = p.command ?? p.path ?? p.pattern ?? p.agent_tool ?? '';
      return say('→', `${text(p.tool)} ${short(what, 200)}  [${text(p.decision)}: ${text(p.rule)}]`);
    }
    case 'tool.result': {
      const exit = p.exit_code === undefined || p.exit_code === null ? '' : ` exit ${text(p.exit_code)}`;
      const out = p.status === 'denied' ? p.reason : (p.output ?? p.stdout ?? '');
      const shown = short(out);
      return say('←', `${text(p.status)}${exit}${shown === '' ? '' : `: ${shown}`}`);
    }
    case 'session.usage':
      return say('usage:', describeEvent(event).replace(/^usage: /, ''));
    case 'nudge.delivered':
      return say('nudge', `(${text(p.kind)}) from ${text(p.from)}: ${short(p.text)}`);
    case 'polecat.nudged':
    case 'polecat.handoff':
      return say(
        'queued',
        `${event.kind === 'polecat.handoff' ? 'handoff' : 'nudge'} from ${event.actor}: ${short(p.text)}`,
      );
    case 'polecat.resumed':
      return say(
        '──',
        `handed off; the next session resumes ${p.resume === null ? '(no agent conversation id)' : text(p.resume)}`,
      );
    default:
      return say('·', `${event.kind}: ${describeEvent(event)}`);
  }
}
