// What a new session of a polecat starts from besides its hook: its unread mail and, after a
// handoff, the note that it continues an earlier session (whose work is committed on the branch).
// Mail put into a preamble is marked read by the polecat (`mail.read`): the session received it.
// The cycle itself is recorded as `polecat.resumed`, naming the session handed off and the agent's
// own conversation id (`sessions.agent_ref`) the new session resumes.
import { writeTx } from '../../db/open.js';
import type { TownServices } from '../../town/services.js';
import type { MailRow } from '../comms/mail.js';
import { inbox, readMail } from '../comms/mail.js';

export interface PreambleInput {
  rig: string;
  polecat: string;
  beadId: string;
  /** The session this one takes over from, after a handoff. */
  after?: { sessionId: string; commit?: string; branch: string };
}

export interface Preamble {
  /** Undefined when there is nothing to say (no handoff, no unread mail). */
  text: string | undefined;
  mailIds: string[];
}

type HandoffTown = Pick<TownServices, 'db' | 'ledger'>;

/** The preamble a session starts with; the mail it carries is marked read in the same transaction. */
export function sessionPreamble(town: HandoffTown, input: PreambleInput): Preamble {
  return writeTx(town.db, () => buildPreamble(town, input));
}

function buildPreamble(town: HandoffTown, input: PreambleInput): Preamble {
  const actor = `${input.rig}/polecats/${input.polecat}`;
  const unread = inbox(town.db, actor, { unreadOnly: true });
  const parts: string[] = [];
  if (input.after) {
    const saved = input.after.commit
      ? `its work so far is committed on ${input.after.branch} (${input.after.commit.slice(0, 12)})`
      : `it left no uncommitted work on ${input.after.branch}`;
    parts.push(
      `You are ${actor}, continuing bead ${input.beadId} after a handoff from session ${input.after.sessionId}: ${saved}. ` +
        `Pick up where it stopped; the bead is still hooked on you.`,
    );
  }
  if (unread.length > 0) {
    parts.push(`Unread mail (${unread.length}):`, ...unread.map(mailText));
    for (const mail of unread) readMail(town, mail.id, actor);
  }
  return { text: parts.length > 0 ? parts.join('\n\n') : undefined, mailIds: unread.map((m) => m.id) };
}

function mailText(mail: MailRow): string {
  const about = mail.bead_id === null ? '' : ` (bead ${mail.bead_id})`;
  return `--- ${mail.id} from ${mail.from_actor}${about}, ${mail.created_at}\nSubject: ${mail.subject}\n\n${mail.body}`;
}

/** The agent's own conversation id a session recorded (its `agent_session` event), if any. */
export function agentRefOf(town: Pick<TownServices, 'db'>, sessionId: string): string | undefined {
  const row = town.db
    .prepare<[string], { agent_ref: string | null }>('SELECT agent_ref FROM sessions WHERE id = ?')
    .get(sessionId);
  return row?.agent_ref ?? undefined;
}

export interface HandoffInput {
  rig: string;
  polecat: string;
  beadId: string;
  branch: string;
  /** The session that was handed off, and its WIP commit. */
  previous: { sessionId: string; commit?: string };
}

export interface Continuation {
  /** The agent's conversation to resume (the previous session's `agent_ref`). */
  resume: string | undefined;
  preamble: Preamble;
}

/**
 * What the next session after a handoff starts with: the previous session's conversation to resume
 * and a preamble (the handoff note, unread mail). Recorded as `polecat.resumed` in one transaction
 * with the mail it marks read.
 */
export function continueAfterHandoff(town: HandoffTown, input: HandoffInput): Continuation {
  return writeTx(town.db, () => {
    const resume = agentRefOf(town, input.previous.sessionId);
    const preamble = buildPreamble(town, {
      rig: input.rig,
      polecat: input.polecat,
      beadId: input.beadId,
      after: { ...input.previous, branch: input.branch },
    });
    town.ledger.append({
      kind: 'polecat.resumed',
      actor: `${input.rig}/polecats/${input.polecat}`,
      bead_id: input.beadId,
      session_id: input.previous.sessionId,
      payload: {
        from_session: input.previous.sessionId,
        commit: input.previous.commit ?? null,
        resume: resume ?? null,
        mail: preamble.mailIds,
        preamble: preamble.text ?? null,
      },
    });
    return { resume, preamble };
  });
}
