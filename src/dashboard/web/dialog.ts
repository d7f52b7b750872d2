// A confirm step in the page itself (no window.confirm): the e-stop and deny ask here first.
import { doc, elementOf } from './dom.js';
import type { Html } from './html.js';
import { html } from './html.js';

export interface Choice {
  confirmed: boolean;
  /** What was typed, when the dialog asked for a reason. */
  reason: string;
}

export function askConfirm(
  title: string,
  body: Html,
  confirmLabel: string,
  withReason = false,
): Promise<Choice> {
  doc.body.insertAdjacentHTML(
    'beforeend',
    html`<div class="dialog" id="dialog" role="dialog" aria-modal="true">
      <div class="card">
        <h2>${title}</h2>
        ${body}
        ${withReason ? html`<p><input type="text" id="dialog-reason" placeholder="reason (optional)" /></p>` : ''}
        <p class="row">
          <button class="danger" data-dialog="yes">${confirmLabel}</button
          ><button data-dialog="no">Cancel</button>
        </p>
      </div>
    </div>`.html,
  );
  const dialog = doc.getElementById('dialog');
  return new Promise((resolve) => {
    if (dialog === null) return resolve({ confirmed: false, reason: '' });
    dialog.querySelector('[data-dialog="yes"]')?.focus();
    dialog.addEventListener('click', (event) => {
      const choice = elementOf(event.target)?.closest('[data-dialog]')?.dataset.dialog;
      if (choice === undefined) return;
      const reason = doc.getElementById('dialog-reason')?.value.trim() ?? '';
      dialog.remove();
      resolve({ confirmed: choice === 'yes', reason });
    });
  });
}
