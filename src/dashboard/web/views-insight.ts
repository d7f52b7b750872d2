// The views that explain: costs by bead, rig, agent and day as inline SVG bar charts, and the full
// feed. A bead's trace has its own module (views-trace.ts).
import type { StreamedEvent } from '../events.js';
import type { CostBar, Costs } from '../queries/costs.js';
import type { Html } from './html.js';
import { html, usd } from './html.js';
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
