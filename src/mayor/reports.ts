// The Mayor reports back: when a launched convoy lands, or something in it gets stuck (an
// escalation on one of its beads, a merge that failed), the Overseer gets mail from `mayor` and the
// feed a `mayor.report` line. Each report is keyed and its mail and event commit together, and a
// report is sent only for what no earlier report said — so a daemon restart, two processes racing
// or a problem that recurs every patrol never repeat one.
import { writeTx } from '../db/open.js';
import type { Convoy } from '../roles/convoy/convoy.js';
import { listConvoys } from '../roles/convoy/convoy.js';
import { convoyProgress } from '../roles/convoy/convoy-progress.js';
import { sendMail } from '../roles/comms/mail.js';
import type { TownServices } from '../town/services.js';
import { mayorActor } from './actor.js';
import { convoyFacts } from './report-facts.js';
import type { ReportText } from './report-text.js';
import { landedReport, stuckReport } from './report-text.js';

export interface SentReport {
  convoy: string;
  state: 'landed' | 'stuck';
  key: string;
  subject: string;
  mail: string;
}

const reportKind = 'mayor.report';

export interface ReportOptions {
  /** Whose inbox (default `overseer`). */
  to?: string;
  /** Convoys known to be reported landed, kept by a long-lived caller so it stops reading them. */
  settled?: Set<string>;
}

/** One pass over the convoys that may have news; returns the reports it sent. */
export async function reportConvoys(town: TownServices, options: ReportOptions = {}): Promise<SentReport[]> {
  const settled = options.settled ?? new Set<string>();
  const convoys = listConvoys(town.db).filter((c) => c.state !== 'open' && !settled.has(c.id));
  if (convoys.length === 0) return [];
  const earlier = earlierReports(town);
  const sent: SentReport[] = [];
  for (const convoy of convoys) {
    const said = earlier.get(convoy.id);
    if (said?.landed) {
      settled.add(convoy.id);
      continue;
    }
    const report = await reportFor(town, convoy, said?.refs ?? new Set());
    if (report === undefined) continue;
    const done = send(town, convoy, report, options.to ?? 'overseer');
    if (done) sent.push(done);
    if (report.state === 'landed') settled.add(convoy.id);
  }
  return sent;
}

interface Pending {
  state: 'landed' | 'stuck';
  key: string;
  text: ReportText;
  beads: string[];
  stuck: string[];
}

async function reportFor(
  town: TownServices,
  convoy: Convoy,
  said: ReadonlySet<string>,
): Promise<Pending | undefined> {
  const facts = convoyFacts(town.db, await convoyProgress(town, convoy.id));
  const beads = facts.beads.map((b) => b.id);
  if (convoy.state === 'landed')
    return { state: 'landed', key: `${convoy.id}:landed`, text: landedReport(facts), beads, stuck: [] };
  const fresh = new Set(facts.stuck.map((s) => s.ref).filter((ref) => !said.has(ref)));
  if (fresh.size === 0) return undefined;
  return {
    state: 'stuck',
    key: `${convoy.id}:stuck:${[...fresh].sort().join(',')}`,
    text: stuckReport(facts, fresh),
    beads,
    stuck: facts.stuck.map((s) => s.ref),
  };
}

function send(town: TownServices, convoy: Convoy, report: Pending, to: string): SentReport | undefined {
  return writeTx(town.db, () => {
    // Checked again inside the transaction: another process may have just sent it.
    const again = town.db
      .prepare(`SELECT 1 FROM ledger WHERE kind = ? AND actor = ? AND json_extract(payload, '$.key') = ?`)
      .get(reportKind, mayorActor, report.key);
    if (again !== undefined) return undefined;
    const mail = sendMail(town, {
      from: mayorActor,
      to,
      subject: report.text.subject,
      body: report.text.body,
      convoyId: convoy.id,
    });
    town.ledger.append({
      kind: reportKind,
      actor: mayorActor,
      payload: {
        key: report.key,
        convoy: convoy.id,
        state: report.state,
        subject: report.text.subject,
        mail: mail.id,
        to: mail.to_actor,
        beads: report.beads,
        stuck: report.stuck,
      },
    });
    return {
      convoy: convoy.id,
      state: report.state,
      key: report.key,
      subject: report.text.subject,
      mail: mail.id,
    };
  });
}

/** What earlier reports said, by convoy: whether it landed, and the stuck items they named. */
function earlierReports(town: TownServices): Map<string, { landed: boolean; refs: Set<string> }> {
  const rows = town.db
    .prepare<[string, string], { payload: string }>(
      'SELECT payload FROM ledger WHERE actor = ? AND kind = ? ORDER BY seq',
    )
    .all(mayorActor, reportKind);
  const out = new Map<string, { landed: boolean; refs: Set<string> }>();
  for (const row of rows) {
    const payload = JSON.parse(row.payload) as { convoy?: unknown; state?: unknown; stuck?: unknown };
    if (typeof payload.convoy !== 'string') continue;
    const entry = out.get(payload.convoy) ?? { landed: false, refs: new Set<string>() };
    if (payload.state === 'landed') entry.landed = true;
    if (Array.isArray(payload.stuck))
      for (const ref of payload.stuck) if (typeof ref === 'string') entry.refs.add(ref);
    out.set(payload.convoy, entry);
  }
  return out;
}
