// A bead's trace: a summary (totals, events by kind, the bead family, sessions, merges) and the
// timeline — the causal tree of every event with its decision, one flat row per event indented by
// its depth, so the first page paints at once and later pages append (web/timeline-loader.ts).
import type { BeadTraceView } from '../queries/trace.js';
import type { TimelinePage, TimelineRow } from '../queries/trace-timeline.js';
import type { Html } from './html.js';
import { html, shortTime, usd } from './html.js';
import { beadLink } from './views-town.js';

/** `12,345`, without Intl: its first use costs the first paint several milliseconds. */
const count = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Colours a policy decision, and a failed tool call (its error text is in the summary) as a denial. */
const decisionClass = (kind: string, summary: string): string => {
  if (kind === 'tool.result' && /^(error|denied)\b/.test(summary)) return 'decision-deny';
  const match = /→ (allow|deny|ask)\b/.exec(summary);
  return match ? `decision-${match[1]}` : '';
};

/** Rows of the timeline; depth shows as indentation classes (the CSP allows no inline styles). */
export function timelineRows(rows: readonly TimelineRow[]): Html {
  return html`${rows.map((row) =>
    row.type === 'bead'
      ? html`<li class="bead-head l${Math.min(row.level, 4)}" data-bead="${row.bead.id}">
          ${beadLink(row.bead.id)} <span class="pill">${row.bead.status}</span> ${row.bead.title}
          <span class="muted">(${count(row.events)} events)</span>
        </li>`
      : html`<li class="d${Math.min(row.depth, 8)}" data-seq="${row.seq}">
          <span class="muted">${shortTime(row.ts)}</span> <span class="kind">${row.kind}</span> ${row.actor}:
          <span class="${decisionClass(row.kind, row.summary)}">${row.summary}</span
          >${row.cost_usd ? html` <span class="pill">${usd(row.cost_usd)}</span>` : ''}
          <a href="#" class="muted" data-action="event" data-seq="${row.seq}">#${row.seq}</a>
        </li>`,
  )}`;
}

/** What sits under the timeline: how much is shown, and the button that loads the next page. */
export function timelineMore(shown: number, page: TimelinePage, loading = false): Html {
  if (page.next === null) return html`<span class="muted">All ${count(page.total)} rows shown</span>`;
  return html`<span class="muted">${count(shown)} of ${count(page.total)} rows shown</span>
    <button data-action="trace-more" ${loading ? 'disabled' : ''}>
      ${loading ? 'Loading…' : `Load more (${count(page.total - shown)} left)`}
    </button>`;
}

export function traceHeader(view: BeadTraceView): Html {
  const { bead, totals } = view;
  const kinds = Object.entries(view.kinds);
  return html`<section class="card span" id="trace">
    <h2>
      <span>Trace of <span class="mono">${bead.id}</span>: ${bead.title}</span>
      <span class="pill">${bead.status}</span>
    </h2>
    <p class="muted">
      ${count(totals.events)} events · ${shortTime(totals.first_ts)} → ${shortTime(totals.last_ts)} · cost
      ${usd(view.cost.usd)}, ${view.cost.tokens} tokens${bead.assignee ? ` · ${bead.assignee}` : ''}
    </p>
    ${bead.description ? html`<p>${bead.description}</p>` : ''}
    ${
      kinds.length > 0
        ? html`<p class="kinds">
            ${kinds.map(([kind, n]) => html`<span class="pill"><span class="kind">${kind}</span> ${count(n)}</span> `)}
          </p>`
        : ''
    }
    ${
      view.beads.length > 1
        ? html`<p>
            Beads:
            ${view.beads.map((b) => html`${beadLink(b.id)} <span class="muted">(${count(b.events)})</span> `)}
          </p>`
        : ''
    }
  </section>`;
}

export function traceSessions(view: BeadTraceView): Html {
  return html`<section class="card" id="trace-sessions">
    <h2>Sessions</h2>
    ${
      view.sessions.length === 0
        ? html`<p class="empty">None</p>`
        : html`<table>
            <tr>
              <th>session</th>
              <th>polecat</th>
              <th>runtime</th>
              <th>outcome</th>
              <th>tool calls</th>
              <th>started</th>
            </tr>
            ${view.sessions.map(
              (s) =>
                html`<tr>
                  <td class="mono">${s.id}</td>
                  <td>${s.rig}/${s.polecat}</td>
                  <td>${s.runtime}</td>
                  <td><span class="pill">${s.outcome ?? s.state}</span></td>
                  <td>${s.tool_calls}</td>
                  <td>${shortTime(s.started_at)}</td>
                </tr>`,
            )}
          </table>`
    }
  </section>`;
}

export function traceMerges(view: BeadTraceView): Html {
  return html`<section class="card" id="trace-merges">
    <h2>Merges</h2>
    ${
      view.merges.length === 0
        ? html`<p class="empty">None</p>`
        : html`<table>
            ${view.merges.map(
              (m) =>
                html`<tr>
                  <td>#${m.id}</td>
                  <td><span class="pill">${m.state}</span></td>
                  <td class="mono">${m.branch}</td>
                  <td>
                    ${
                      m.merged_commit
                        ? html`<code>${m.merged_commit.slice(0, 12)}</code>`
                        : (m.detail ?? '').slice(0, 120)
                    }
                  </td>
                </tr>`,
            )}
          </table>`
    }
  </section>`;
}

export function tracePage(view: BeadTraceView): Html {
  const page = view.timeline;
  return html`${traceHeader(view)}${traceSessions(view)}${traceMerges(view)}
    <section class="card span" id="timeline-card">
      <h2>Timeline <span id="timeline-fresh"></span></h2>
      ${
        page.total === 0
          ? html`<p class="empty">No events</p>`
          : html`<ol class="tree timeline" id="timeline">
                ${timelineRows(page.rows)}
              </ol>
              <div class="more" id="timeline-more">${timelineMore(page.rows.length, page)}</div>`
      }
    </section>`;
}
