// The work views: convoys with each bead's place and a launch button (plus a form to make one),
// the beads board in five columns, and the merge queue.
import type { Board } from '../queries/board.js';
import { boardColumns } from '../columns.js';
import type { ConvoyView } from '../queries/convoys.js';
import type { MergeQueueView } from '../queries/merge-queue.js';
import type { MergeRequest } from '../../roles/refinery/merge-queue.js';
import type { Html } from './html.js';
import { html, shortTime, when } from './html.js';
import { beadLink, progressBar } from './views-town.js';

export function convoysPage(convoys: readonly ConvoyView[]): Html {
  return html` <section class="card span">
      <h2>New convoy</h2>
      <form class="row" id="new-convoy">
        <input type="text" name="name" id="convoy-name" placeholder="name" />
        <input type="text" name="beads" id="convoy-beads" placeholder="bead ids, space separated" />
        <button class="primary" data-action="create-convoy">Create</button>
      </form>
    </section>
    ${
      convoys.length === 0
        ? html`<section class="card span"><p class="empty">No convoys yet</p></section>`
        : convoys.map(
            (c) =>
              html`<section class="card span" data-convoy="${c.id}">
                <h2>
                  <span
                    >${c.name} <span class="muted mono">${c.id}</span>
                    <span class="pill">${c.state}</span></span
                  >
                  ${when(c.state === 'open', () => html`<button class="primary" data-action="launch" data-id="${c.id}">Launch</button>`)}
                </h2>
                <p class="row">
                  ${progressBar({ total: c.total, closed: c.counts.closed, review: c.counts.review, working: c.counts.working })}
                  <span class="muted"
                    >ready ${c.counts.ready} · working ${c.counts.working} · review ${c.counts.review} ·
                    closed ${c.counts.closed} · blocked ${c.counts.blocked}</span
                  >
                </p>
                <table>
                  <tr>
                    <th>bead</th>
                    <th>rig</th>
                    <th>state</th>
                    <th>title</th>
                    <th>assignee</th>
                  </tr>
                  ${c.beads.map(
                    (b) =>
                      html`<tr>
                        <td>${beadLink(b.id)}</td>
                        <td>${b.rig}</td>
                        <td><span class="pill">${b.state}</span></td>
                        <td>${b.title}</td>
                        <td>${b.assignee ?? ''}</td>
                      </tr>`,
                  )}
                </table>
              </section>`,
          )
    }`;
}

const columnTitles: Record<(typeof boardColumns)[number], string> = {
  ready: 'Ready',
  in_progress: 'In progress',
  review: 'In review',
  merged: 'Merged',
  blocked: 'Blocked',
};

export function boardPage(board: Board): Html {
  return html`<section class="card span">
    <div class="board">
      ${boardColumns.map((col) => {
        const column = board[col];
        return html`<div class="col" data-column="${col}">
          <h3>${columnTitles[col]} <span class="pill">${column.count}</span></h3>
          ${column.cards.map(
            (b) =>
              html`<div class="bead">
                ${beadLink(b.id)} <span class="muted">P${b.priority}</span>
                <div>${b.title}</div>
                ${b.assignee ? html`<div class="muted">${b.assignee}</div>` : ''}${b.note ? html`<div class="muted">${b.note}</div>` : ''}
              </div>`,
          )}
          ${column.count > column.cards.length ? html`<p class="muted">and ${column.count - column.cards.length} more</p>` : ''}
        </div>`;
      })}
    </div>
  </section>`;
}

const mergeRows = (rows: readonly MergeRequest[]): Html =>
  rows.length === 0
    ? html`<p class="empty">None</p>`
    : html`<table>
        <tr>
          <th>#</th>
          <th>rig</th>
          <th>bead</th>
          <th>branch</th>
          <th>state</th>
          <th>attempts</th>
          <th>detail</th>
          <th>updated</th>
        </tr>
        ${rows.map(
          (m) =>
            html`<tr>
              <td>${m.id}</td>
              <td>${m.rig}</td>
              <td>${beadLink(m.bead_id)}</td>
              <td class="mono">${m.branch}</td>
              <td><span class="pill">${m.state}</span></td>
              <td>${m.attempts}</td>
              <td>
                ${m.pr_url ? html`<a href="${m.pr_url}">${m.pr_url}</a>` : (m.detail ?? '').slice(0, 160)}${m.merged_commit ? html` <code>${m.merged_commit.slice(0, 12)}</code>` : ''}
              </td>
              <td>${shortTime(m.updated_at)}</td>
            </tr>`,
        )}
      </table>`;

export function mergesPage(queue: MergeQueueView): Html {
  return html`<section class="card span">
      <h2>In the queue</h2>
      ${mergeRows(queue.active)}
    </section>
    <section class="card span">
      <h2>Recently finished</h2>
      ${mergeRows(queue.recent)}
    </section>`;
}
