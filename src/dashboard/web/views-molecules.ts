// The molecules view: each poured formula as its steps in order, with their state and the
// molecule's progress (steps closed of all); a human step whose needs are closed carries the
// Overseer's "Approve" button, which closes it as `gt bd close` would.
import type { MoleculeView } from '../queries/molecules.js';
import type { Html } from './html.js';
import { html, when } from './html.js';
import { beadLink, progressBar } from './views-town.js';

const stateClass: Record<string, string> = { done: 'ok', overseer: 'warn', working: 'live', ready: '' };

function stepRow(s: MoleculeView['steps'][number]): Html {
  return html`<tr data-step="${s.step}" data-bead="${s.id}">
    <td>${beadLink(s.id)}</td>
    <td class="mono">${s.step}</td>
    <td class="kind">${s.kind}</td>
    <td>${s.title}</td>
    <td>
      <span class="pill ${stateClass[s.state] ?? ''}"
        >${s.state === 'overseer' ? 'awaits Overseer' : s.state}</span
      >
    </td>
    <td>
      ${when(
        s.state === 'overseer',
        () => html`<button class="ok" data-action="approve-step" data-id="${s.id}">Approve</button>`,
      )}
    </td>
  </tr>`;
}

function moleculeCard(m: MoleculeView): Html {
  const work = m.steps.filter((s) => s.kind !== 'container');
  const working = work.filter((s) => s.state === 'working').length;
  const vars = Object.entries(m.vars)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return html`<section class="card span" data-molecule="${m.id}">
    <h2>
      <span
        >${m.title} <span class="muted mono">${m.id}</span>
        <span class="pill">${m.formula}</span
        >${when(m.wisp, () => html` <span class="pill">wisp</span>`)}</span
      >
      <span class="pill ${m.finished ? 'ok' : ''}">${m.done}/${m.total} steps</span>
    </h2>
    <p class="row">
      ${progressBar({ total: m.total, closed: m.done, review: 0, working })}
      ${when(vars !== '', () => html`<span class="muted mono">${vars}</span>`)}
    </p>
    <table>
      <tr>
        <th>bead</th>
        <th>step</th>
        <th>kind</th>
        <th>title</th>
        <th>state</th>
        <th></th>
      </tr>
      ${m.steps.map(stepRow)}
    </table>
  </section>`;
}

export function moleculesPage(molecules: readonly MoleculeView[]): Html {
  return molecules.length === 0
    ? html`<section class="card span">
        <p class="empty">No molecules yet: <code>gt formula run &lt;name&gt;</code> pours one</p>
      </section>`
    : html`${molecules.map(moleculeCard)}`;
}
