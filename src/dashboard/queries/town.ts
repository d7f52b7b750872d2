// The town view in one payload, so the first paint needs one request: daemon and uptime, the
// e-stop, rigs, polecats with their current bead, the health of the Witness, Refinery and Deacon,
// convoys with progress counts, what waits for the Overseer (approvals, escalations, problems).
import type { Db } from '../../db/open.js';
import { townStatus, type TownStatus } from '../../daemon/status.js';
import type { Approval } from '../../roles/gateway/approvals.js';
import { listApprovals } from '../../roles/gateway/approvals.js';
import type { Escalation } from '../../roles/comms/escalations.js';
import { listEscalations } from '../../roles/comms/escalations.js';
import type { TownServices } from '../../town/services.js';
import { findProblems, type Problem } from './problems.js';

/** What the daemon's supervisor says of each loop (absent when the page is served elsewhere). */
export type LoopHealth = Record<string, { failures: number; busy: boolean }>;

export interface RoleHealth {
  /** `deacon`, `witness:<rig>`, `refinery:<rig>`, `convoys`. */
  loop: string;
  state: 'ok' | 'failing' | 'down';
  failures: number;
  busy: boolean;
  /** When it last wrote to the ledger. */
  last_event_at: string | null;
}

export interface PolecatView {
  rig: string;
  name: string;
  state: string;
  bead_id: string | null;
  bead_title: string | null;
  session_id: string | null;
  heartbeat_at: string | null;
  updated_at: string;
}

export interface ConvoySummary {
  id: string;
  name: string;
  state: string;
  total: number;
  closed: number;
  working: number;
  review: number;
}

export interface TownView {
  name: string;
  now: string;
  head_seq: number;
  daemon: TownStatus['daemon'] & { uptime_s?: number };
  frozen: string[];
  rigs: TownStatus['rigs'];
  roles: RoleHealth[];
  polecats: PolecatView[];
  convoys: ConvoySummary[];
  approvals: Approval[];
  escalations: Escalation[];
  problems: Problem[];
}

export interface TownViewInput {
  town: TownServices;
  name: string;
  now: Date;
  stallAfterSeconds: number;
  health: LoopHealth | undefined;
}

export function townView(input: TownViewInput): TownView {
  const { town, now } = input;
  const db = town.db;
  const status = townStatus(town);
  const since = status.daemon.since;
  return {
    name: input.name,
    now: now.toISOString(),
    head_seq: db.prepare('SELECT coalesce(max(seq), 0) FROM ledger').pluck().get() as number,
    daemon: {
      ...status.daemon,
      ...(status.daemon.running && since
        ? { uptime_s: Math.max(0, Math.round((now.getTime() - Date.parse(since)) / 1000)) }
        : {}),
    },
    frozen: status.frozen,
    rigs: status.rigs,
    roles: roleHealth(db, status, input.health),
    polecats: polecats(db),
    convoys: convoySummaries(db),
    approvals: listApprovals(db, 'pending'),
    escalations: listEscalations(db),
    problems: findProblems(db, now, input.stallAfterSeconds),
  };
}

function roleHealth(db: Db, status: TownStatus, health: LoopHealth | undefined): RoleHealth[] {
  const lastTs = db.prepare<[string], { ts: string }>(
    'SELECT ts FROM ledger WHERE actor = ? ORDER BY seq DESC LIMIT 1',
  );
  const loops = [
    'deacon',
    ...status.rigs.flatMap((r) => [`witness:${r.name}`, `refinery:${r.name}`]),
    'convoys',
  ];
  return loops.map((loop) => {
    const [role, rig] = loop.split(':');
    const actor = rig === undefined ? (role === 'convoys' ? 'mayor' : 'deacon') : `${rig}/${role}`;
    const h = health?.[loop];
    const failures = h?.failures ?? 0;
    return {
      loop,
      state: !status.daemon.running ? 'down' : failures > 0 ? 'failing' : 'ok',
      failures,
      busy: h?.busy ?? false,
      last_event_at: lastTs.get(actor)?.ts ?? null,
    };
  });
}

function polecats(db: Db): PolecatView[] {
  return db
    .prepare<[], PolecatView>(
      `SELECT p.rig, p.name, p.state, p.bead_id, b.title AS bead_title, p.session_id,
              s.heartbeat_at, p.updated_at
         FROM polecats p LEFT JOIN beads b ON b.id = p.bead_id LEFT JOIN sessions s ON s.id = p.session_id
        ORDER BY p.state = 'idle', p.rig, p.name`,
    )
    .all();
}

function convoySummaries(db: Db): ConvoySummary[] {
  return db
    .prepare<[], ConvoySummary>(
      `SELECT c.id, c.name, c.state, count(cb.bead_id) AS total,
              coalesce(sum(b.status IN ('closed', 'tombstone')), 0) AS closed,
              coalesce(sum(b.status IN ('in_progress', 'hooked') AND r.issue_id IS NULL), 0) AS working,
              coalesce(sum(b.status IN ('in_progress', 'hooked') AND r.issue_id IS NOT NULL), 0) AS review
         FROM convoys c
         LEFT JOIN convoy_beads cb ON cb.convoy_id = c.id
         LEFT JOIN beads b ON b.id = cb.bead_id
         LEFT JOIN labels r ON r.issue_id = b.id AND r.label = 'gt:review'
        GROUP BY c.id ORDER BY c.state = 'landed', c.created_at DESC`,
    )
    .all();
}
