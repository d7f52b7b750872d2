// The views that explain: costs by bead, rig, agent and day as inline SVG bar charts, the full feed,
// and a bead's trace — its sessions, merges and the causal tree of every event with its decision.
import type { StreamedEvent } from '../events.js';
import type { TraceNode } from '../../ledger/index.js';
import type { BeadTrace } from '../../ledger/index.js';
import type { CostBar, Costs } from '../queries/costs.js';
import type { BeadTraceView } from '../queries/trace.js';
import type { Html } from './html.js';
import { html, shortTime, usd } from './html.js';
import { feedLines } from './views-town.js';

export function barChart(title: string, rows: readonly CostBar[]): Html {
  if (rows.length === 0)
    return html`<section class="card">
      <h2>${title}</h2>
      <p class="empty">No usage recorded yet</p>
    </section>`;
  const max = Math.max(...rows.map((r) => r.usd), 1e-9);
  const rowHeight = 22;
  const label = 170;
  const width = 560;
  return html`<section class="card">
    <h2>${title}</h2>
    <svg
      class="chart"
      viewBox="0 0 ${width} ${rows.length * rowHeight}"
      width="100%"
      role="img"
      aria-label="${title}"
    >
      ${rows.map((r, i) => {
        const w = ((width - label - 90) * r.usd) / max;
        const y = i * rowHeight;
        return html`<g
          ><text x="0" y="${y + 15}">${r.key.length > 26 ? `${r.key.slice(0, 25)}…` : r.key}</text>
          <rect x="${label}" y="${y + 4}" width="${Math.max(w, 1)}" height="${rowHeight - 8}" rx="2"></rect>
          <text x="${label + w + 6}" y="${y + 15}">${usd(r.usd)} · ${r.tokens} tok</text></g
        >`;
      })}
    </svg>
  </section>`;
}

export function costsPage(costs: Costs): Html {
  return html`<section class="card span">
      <h2>Costs</h2>
      <p>Total ${usd(costs.total.usd)}, ${costs.total.tokens} tokens</p>
    </section>
    ${barChart('By bead', costs.by_bead)}${barChart('By rig', costs.by_rig)}${barChart('By agent', costs.by_agent)}${barChart('By day', costs.by_day)}`;
}

export function feedPage(events: readonly StreamedEvent[], fresh: ReadonlySet<number>): Html {
  return html`<section class="card span">
    <h2>Ledger feed <button data-action="older">Older</button></h2>
    ${feedLines(events, fresh)}
  </section>`;
}

const decisionClass = (node: TraceNode): string => {
  const match = /→ (allow|deny|ask)\b/.exec(node.summary);
  return match ? `decision-${match[1]}` : '';
};

function nodeTree(nodes: readonly TraceNode[]): Html {
  return html`<ul class="tree">
    ${nodes.map(
      (n) =>
        html`<li data-seq="${n.seq}">
          <span class="muted">${shortTime(n.ts)}</span> <span class="kind">${n.kind}</span> ${n.actor}:
          <span class="${decisionClass(n)}">${n.summary}</span
          >${n.cost_usd ? html` <span class="pill">${usd(n.cost_usd)}</span>` : ''}
          <a href="#" class="muted" data-action="event" data-seq="${n.seq}">#${n.seq}</a>
          ${n.children.length > 0 ? nodeTree(n.children) : ''}
        </li>`,
    )}
  </ul>`;
}

function beadTree(trace: BeadTrace): Html {
  return html`<h3>
      ${trace.bead.id} <span class="pill">${trace.bead.status}</span> ${trace.bead.title}
      <span class="muted">(${trace.totals.events} events)</span>
    </h3>
    ${nodeTree(trace.events)}${trace.children.map(beadTree)}`;
}

export function tracePage(view: BeadTraceView): Html {
  const { bead, trace } = view;
  return html`<section class="card span" id="trace">
      <h2>
        <span>Trace of <span class="mono">${bead.id}</span>: ${bead.title}</span>
        <span class="pill">${bead.status}</span>
      </h2>
      <p class="muted">
        ${trace.totals.events} events · ${shortTime(trace.totals.first_ts)} →
        ${shortTime(trace.totals.last_ts)} · cost ${usd(view.cost.usd)}, ${view.cost.tokens}
        tokens${bead.assignee ? ` · ${bead.assignee}` : ''}
      </p>
      ${bead.description ? html`<p>${bead.description}</p>` : ''}
    </section>
    <section class="card">
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
    </section>
    <section class="card">
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
                      ${m.merged_commit ? html`<code>${m.merged_commit.slice(0, 12)}</code>` : (m.detail ?? '').slice(0, 120)}
                    </td>
                  </tr>`,
              )}
            </table>`
      }
    </section>
    <section class="card span">
      <h2>Timeline</h2>
      ${beadTree(trace)}
    </section>`;
}
