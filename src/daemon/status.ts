// `gt status`: what the town is doing, read from the database — daemon, rigs, polecats, the merge
// queue, convoys, escalations, pending approvals and the e-stop.
import type { Db } from '../db/open.js';
import { listRigs } from '../town/index.js';
import type { TownServices } from '../town/services.js';
import { readDaemon } from './pid-file.js';

export interface TownStatus {
  daemon: { running: boolean; pid?: number; since?: string; state?: string };
  frozen: string[];
  rigs: {
    name: string;
    prefix: string;
    branch: string;
    polecats: Record<string, number>;
    queue: Record<string, number>;
  }[];
  polecats: { rig: string; name: string; state: string; bead_id: string | null }[];
  convoys: { id: string; name: string; state: string; beads: number; closed: number }[];
  escalations: { open: number };
  /** Open escalations of what keeps work from running (no sandbox, a rig's mirror gone…), with the fix. */
  blocked: string[];
  approvals: { pending: number };
}

const countBy = (db: Db, sql: string, ...params: string[]): Record<string, number> =>
  Object.fromEntries(
    db
      .prepare(sql)
      .all(...params)
      .map((row) => {
        const r = row as { key: string; n: number };
        return [r.key, r.n];
      }),
  );

export function townStatus(town: TownServices): TownStatus {
  const db = town.db;
  const record = readDaemon(town.paths.gtDir);
  return {
    daemon: record
      ? { running: true, pid: record.pid, since: record.started_at, state: record.state }
      : { running: false },
    frozen: (
      db.prepare(`SELECT key FROM town_state WHERE key LIKE 'frozen:%'`).pluck().all() as string[]
    ).map((k) => k.slice(7)),
    rigs: listRigs(db).map((rig) => ({
      name: rig.name,
      prefix: rig.prefix,
      branch: rig.branch,
      polecats: countBy(
        db,
        'SELECT state AS key, count(*) AS n FROM polecats WHERE rig = ? GROUP BY state',
        rig.name,
      ),
      queue: countBy(
        db,
        'SELECT state AS key, count(*) AS n FROM merge_requests WHERE rig = ? GROUP BY state',
        rig.name,
      ),
    })),
    polecats: db
      .prepare(`SELECT rig, name, state, bead_id FROM polecats WHERE state <> 'idle' ORDER BY rig, name`)
      .all() as TownStatus['polecats'],
    convoys: db
      .prepare(
        `SELECT c.id, c.name, c.state, count(cb.bead_id) AS beads,
                sum(CASE WHEN b.status = 'closed' THEN 1 ELSE 0 END) AS closed
           FROM convoys c LEFT JOIN convoy_beads cb ON cb.convoy_id = c.id LEFT JOIN beads b ON b.id = cb.bead_id
          GROUP BY c.id ORDER BY c.created_at`,
      )
      .all()
      .map((row) => {
        const r = row as { id: string; name: string; state: string; beads: number; closed: number | null };
        return { ...r, closed: r.closed ?? 0 };
      }),
    escalations: {
      open: db.prepare(`SELECT count(*) FROM escalations WHERE state = 'open'`).pluck().get() as number,
    },
    blocked: db
      .prepare(
        `SELECT summary FROM escalations WHERE kind = 'work_blocked' AND state <> 'closed' ORDER BY id`,
      )
      .pluck()
      .all() as string[],
    approvals: {
      pending: db.prepare(`SELECT count(*) FROM approvals WHERE status = 'pending'`).pluck().get() as number,
    },
  };
}

export function renderStatus(status: TownStatus): string[] {
  const lines: string[] = [];
  const d = status.daemon;
  lines.push(
    d.running
      ? `Daemon: up (pid ${d.pid ?? '?'}, since ${d.since ?? '?'})`
      : 'Daemon: down (`gt up` starts it)',
  );
  if (status.frozen.length > 0) lines.push(`FROZEN: ${status.frozen.join(', ')} (\`gt thaw\` resumes)`);
  for (const blocked of status.blocked) lines.push(`BLOCKED: ${blocked}`);
  if (status.escalations.open > 0)
    lines.push(`Escalations: ${status.escalations.open} open (\`gt escalate list\`)`);
  if (status.approvals.pending > 0)
    lines.push(`Approvals: ${status.approvals.pending} waiting (\`gt approvals\`)`);
  lines.push(`Rigs: ${status.rigs.length}`);
  const fmt = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ') || 'none';
  for (const rig of status.rigs)
    lines.push(
      `  ${rig.name} (${rig.prefix}, ${rig.branch})  polecats: ${fmt(rig.polecats)}  queue: ${fmt(rig.queue)}`,
    );
  if (status.polecats.length > 0) lines.push('Polecats:');
  for (const p of status.polecats)
    lines.push(`  ${p.rig}/polecats/${p.name}  ${p.state}  ${p.bead_id ?? '-'}`);
  if (status.convoys.length > 0) lines.push('Convoys:');
  for (const c of status.convoys)
    lines.push(`  ${c.id} ${c.name}  ${c.state}  ${c.closed}/${c.beads} closed`);
  return lines;
}
