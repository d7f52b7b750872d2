// The town view: what waits for the Overseer first (approvals, escalations), then convoys, rigs with
// the health of their Witness and Refinery, the Deacon, polecats with their beads, the live feed
// and the ledger's verification status. Pure functions from API payloads to HTML.
import type { StreamedEvent } from '../events.js';
import type { ConvoySummary, TownView } from '../queries/town.js';
import type { VerifyStatus } from '../verify-cache.js';
import type { Html } from './html.js';
import { duration, html, shortTime, when } from './html.js';

export type TownPayload = TownView & { verify: VerifyStatus };

export const beadLink = (id: string | null): Html =>
  id ? html`<a class="mono" href="#/trace/${id}">${id}</a>` : html`<span class="muted">—</span>`;

const statePill = (state: string): Html => {
  const tone = ['ok', 'working', 'intact', 'launched', 'merged', 'running'].includes(state)
    ? 'ok'
    : ['failing', 'stopped', 'tampered', 'down', 'failed'].includes(state)
      ? 'bad'
      : ['review', 'queued', 'merging', 'checking', 'acked'].includes(state)
        ? 'warn'
        : '';
  return html`<span class="pill ${tone}">${state}</span>`;
};

export function progressBar(c: { total: number; closed: number; review: number; working: number }): Html {
  // SVG, not styled spans: the page's CSP allows no inline styles.
  const pct = (n: number) => (c.total === 0 ? 0 : (n * 100) / c.total);
  const [closed, review, working] = [pct(c.closed), pct(c.review), pct(c.working)];
  return html`<svg
    class="bar"
    viewBox="0 0 100 10"
    preserveAspectRatio="none"
    role="img"
    aria-label="${c.closed} of ${c.total} closed"
  >
    <rect class="track" x="0" y="0" width="100" height="10"></rect>
    <rect class="closed" x="0" y="0" width="${closed}" height="10"></rect>
    <rect class="review" x="${closed}" y="0" width="${review}" height="10"></rect>
    <rect class="working" x="${closed + review}" y="0" width="${working}" height="10"></rect>
  </svg>`;
}

export function feedLines(events: readonly StreamedEvent[], fresh: ReadonlySet<number> = new Set()): Html {
  if (events.length === 0) return html`<p class="empty">No events yet</p>`;
  return html`<ul class="feed" id="feed">
    ${events.map(
      (e) =>
        html`<li class="${fresh.has(e.seq) ? 'new' : ''}" data-seq="${e.seq}">
          <span class="muted">#${e.seq}</span><span class="muted">${shortTime(e.ts)}</span
          ><span>${e.actor}</span><span>${e.bead_id ? html`${beadLink(e.bead_id)} ` : ''}${e.summary}</span>
        </li>`,
    )}
  </ul>`;
}

export function statusBar(t: TownPayload, live: boolean): Html {
  const d = t.daemon;
  return html`<span class="pill ${live ? 'live' : 'off'}" id="live">${live ? 'live' : 'offline'}</span>
    <span
      >${d.running ? html`daemon up ${duration(d.uptime_s ?? 0)}` : html`<span class="pill bad">daemon down</span>`}</span
    >
    <span>ledger #${t.head_seq}</span>
    <span>${verifyPill(t.verify)}</span>`;
}

export function verifyPill(v: VerifyStatus): Html {
  if (v.state === 'intact')
    return html`<span class="pill ok" title="checked ${v.report?.events ?? 0} events"
      >ledger verified to #${v.checked_seq ?? 0}</span
    >`;
  if (v.state === 'tampered')
    return html`<span class="pill bad" title="${v.report?.problem?.message ?? ''}">ledger TAMPERED</span>`;
  return html`<span class="pill">${v.state === 'checking' ? 'verifying…' : 'not verified yet'}</span>`;
}

export function estopControl(t: TownPayload): Html {
  return t.frozen.length > 0
    ? html`<span class="pill bad">FROZEN: ${t.frozen.join(', ')}</span>
        <button class="ok" data-action="thaw">Thaw</button>`
    : html`<button class="danger" data-action="estop">E-STOP</button>`;
}

export function problemsBanner(t: TownPayload): Html | undefined {
  if (t.problems.length === 0) return undefined;
  return html`<h2>Problems (${t.problems.length})</h2>
    <ul>
      ${t.problems.map((p) => html`<li><span class="pill bad">${p.kind.replace('_', ' ')}</span> ${beadLink(p.bead_id)} ${p.summary}</li>`)}
    </ul>`;
}

export function convoyRows(convoys: readonly ConvoySummary[]): Html {
  if (convoys.length === 0) return html`<p class="empty">No convoys yet</p>`;
  return html`<table>
    <tr>
      <th>convoy</th>
      <th>state</th>
      <th>progress</th>
      <th></th>
    </tr>
    ${convoys.map(
      (c) =>
        html`<tr data-convoy="${c.id}">
          <td><a href="#/convoys">${c.name}</a> <span class="muted mono">${c.id}</span></td>
          <td>${statePill(c.state)}</td>
          <td>${progressBar(c)} <span class="muted count">${c.closed}/${c.total} closed</span></td>
          <td>
            ${when(c.state === 'open', () => html`<button class="primary" data-action="launch" data-id="${c.id}">Launch</button>`)}
          </td>
        </tr>`,
    )}
  </table>`;
}

export function townPage(t: TownPayload, feed: readonly StreamedEvent[], fresh: ReadonlySet<number>): Html {
  const approvals = t.approvals;
  return html` <section class="card span" id="approvals">
      <h2>
        Approvals <span class="pill ${approvals.length ? 'warn' : ''}">${approvals.length} waiting</span>
      </h2>
      ${
        approvals.length === 0
          ? html`<p class="empty">Nothing waits for approval</p>`
          : html`<table>
              <tr>
                <th>#</th>
                <th>polecat</th>
                <th>bead</th>
                <th>asks to run</th>
                <th>why</th>
                <th>expires</th>
                <th></th>
              </tr>
              ${approvals.map(
                (a) =>
                  html`<tr data-approval="${a.id}">
                    <td>${a.id}</td>
                    <td>${a.rig}/polecats/${a.polecat}</td>
                    <td>${beadLink(a.bead_id)}</td>
                    <td><code>${a.tool}: ${a.command ?? a.path ?? ''}</code></td>
                    <td>${a.rule}: ${a.reason}</td>
                    <td>${shortTime(a.expires_at)}</td>
                    <td class="row">
                      <button class="ok" data-action="approve" data-id="${a.id}">Approve</button
                      ><button data-action="deny" data-id="${a.id}">Deny</button>
                    </td>
                  </tr>`,
              )}
            </table>`
      }
    </section>
    <section class="card" id="convoys-card">
      <h2>Convoys</h2>
      ${convoyRows(t.convoys)}
    </section>
    <section class="card" id="rigs">
      <h2>Rigs and roles</h2>
      ${
        t.rigs.length === 0
          ? html`<p class="empty">No rigs yet (gt rig add)</p>`
          : html`<table>
              <tr>
                <th>rig</th>
                <th>branch</th>
                <th>polecats</th>
                <th>merge queue</th>
              </tr>
              ${t.rigs.map(
                (r) =>
                  html`<tr>
                    <td>${r.name} <span class="muted">${r.prefix}</span></td>
                    <td>${r.branch}</td>
                    <td>${counts(r.polecats)}</td>
                    <td>${counts(r.queue)}</td>
                  </tr>`,
              )}
            </table>`
      }
      <p class="row">
        ${t.roles.map((r) => html`<span title="last event ${shortTime(r.last_event_at)}${r.failures ? `, ${r.failures} failed ticks` : ''}">${r.loop} ${statePill(r.state)}</span>`)}
      </p>
    </section>
    <section class="card" id="polecats">
      <h2>Polecats</h2>
      ${
        t.polecats.length === 0
          ? html`<p class="empty">No polecats yet</p>`
          : html`<table>
              <tr>
                <th>polecat</th>
                <th>state</th>
                <th>bead</th>
                <th>heartbeat</th>
              </tr>
              ${t.polecats.map(
                (p) =>
                  html`<tr>
                    <td>${p.rig}/${p.name}</td>
                    <td>${statePill(p.state)}</td>
                    <td>${beadLink(p.bead_id)} ${p.bead_title ?? ''}</td>
                    <td>${shortTime(p.heartbeat_at)}</td>
                  </tr>`,
              )}
            </table>`
      }
    </section>
    <section class="card" id="escalations">
      <h2>Escalations</h2>
      ${
        t.escalations.length === 0
          ? html`<p class="empty">None</p>`
          : html`<table>
              ${t.escalations.map(
                (e) =>
                  html`<tr>
                    <td>${statePill(e.state)}</td>
                    <td>${beadLink(e.bead_id)} ${e.summary}${e.count > 1 ? ` (×${e.count})` : ''}</td>
                    <td class="row">
                      ${when(e.state === 'open', () => html`<button data-action="ack" data-id="${e.id}">Ack</button>`)}<button
                        data-action="close-escalation"
                        data-id="${e.id}"
                      >
                        Close
                      </button>
                    </td>
                  </tr>`,
              )}
            </table>`
      }
    </section>
    <section class="card" id="ledger">
      <h2>Ledger <button data-action="verify">Verify now</button></h2>
      <p>
        ${verifyPill(t.verify)}
        ${t.verify.report ? html`<span class="muted">${t.verify.report.events} events, ${t.verify.report.checkpoints} checkpoints, checked ${shortTime(t.verify.checked_at)} in ${t.verify.took_ms ?? 0} ms</span>` : ''}
      </p>
      ${t.verify.report?.problem ? html`<p class="pill bad">${t.verify.report.problem.message}</p>` : ''}
    </section>
    <section class="card span">
      <h2>Live feed <a href="#/feed">all</a></h2>
      ${feedLines(feed.slice(0, 30), fresh)}
    </section>`;
}

const counts = (record: Record<string, number>): string =>
  Object.entries(record)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ') || '—';
