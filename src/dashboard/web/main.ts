// The dashboard page: takes the token, loads the town view, follows the ledger live and re-renders
// the open view when something happens (debounced, so a burst of events costs one reload). Routes
// live in the URL fragment: #/town, #/convoys, #/board, #/merges, #/costs, #/feed, #/trace/<bead>.
import type { StreamedEvent } from '../events.js';
import type { Board } from '../queries/board.js';
import type { ConvoyView } from '../queries/convoys.js';
import type { Costs } from '../queries/costs.js';
import type { MergeQueueView } from '../queries/merge-queue.js';
import type { BeadTraceView } from '../queries/trace.js';
import { Api, Unauthorized, forgetToken, takeToken } from './api.js';
import { askConfirm } from './dialog.js';
import { byId, doc, elementOf, win } from './dom.js';
import type { Html } from './html.js';
import { html } from './html.js';
import { costsPage, feedPage, tracePage } from './views-insight.js';
import { boardPage, convoysPage, mergesPage } from './views-work.js';
import type { TownPayload } from './views-town.js';
import { estopControl, problemsBanner, statusBar, townPage } from './views-town.js';

const maxFeed = 300;
const state = {
  live: false,
  town: undefined as TownPayload | undefined,
  feed: [] as StreamedEvent[],
  fresh: new Set<number>(),
};

function route(): { view: string; arg: string | undefined } {
  const [view, ...rest] = win.location.hash.replace(/^#\/?/, '').split('/');
  return { view: view || 'town', arg: rest.length > 0 ? decodeURIComponent(rest.join('/')) : undefined };
}

function toast(message: string, bad = false): void {
  const el = byId('toast');
  el.textContent = message;
  el.className = bad ? 'toast bad' : 'toast';
  el.hidden = false;
  setTimeout(() => (el.hidden = true), 4000);
}

function signIn(): void {
  byId('view').innerHTML = html`<section class="card signin">
    <h2>Token needed</h2>
    <p>
      Open the address <code>gt dashboard --url</code> prints: the token travels in the URL fragment and stays
      in this tab.
    </p>
  </section>`.html;
}

async function viewHtml(api: Api, view: string, arg: string | undefined): Promise<Html> {
  switch (view) {
    case 'convoys':
      return convoysPage(await api.get<ConvoyView[]>('/convoys'));
    case 'board':
      return boardPage(await api.get<Board>('/board'));
    case 'merges':
      return mergesPage(await api.get<MergeQueueView>('/merge-queue'));
    case 'costs':
      return costsPage(await api.get<Costs>('/costs'));
    case 'feed':
      return feedPage(state.feed, state.fresh);
    case 'trace':
      return tracePage(await api.get<BeadTraceView>(`/trace/${encodeURIComponent(arg ?? '')}`));
    default:
      return townPage(state.town!, state.feed, state.fresh);
  }
}

let rendering: Promise<void> | undefined;
let again = false;

/** Reloads the town and the open view; calls during a reload coalesce into one more. */
function refresh(api: Api): Promise<void> {
  if (rendering) {
    again = true;
    return rendering;
  }
  rendering = (async () => {
    try {
      state.town = await api.get<TownPayload>('/town');
      const { view, arg } = route();
      const body = await viewHtml(api, view, arg);
      doc.title = `${state.town.name} · Gas Town`;
      byId('status').innerHTML = statusBar(state.town, state.live).html;
      byId('estop').innerHTML = estopControl(state.town).html;
      const problems = problemsBanner(state.town);
      byId('problems').hidden = problems === undefined;
      byId('problems').innerHTML = problems?.html ?? '';
      const main = byId('view');
      main.className = view === 'town' ? '' : 'wide';
      main.innerHTML = body.html;
      main.dataset.view = view;
      for (const a of Array.from(doc.querySelectorAll('#nav a')))
        a.classList.toggle('active', a.dataset.view === view);
      state.fresh.clear();
    } catch (error) {
      if (error instanceof Unauthorized) return signIn();
      toast(error instanceof Error ? error.message : String(error), true);
    } finally {
      rendering = undefined;
    }
    if (again) {
      again = false;
      await refresh(api);
    }
  })();
  return rendering;
}

let timer: ReturnType<typeof setTimeout> | undefined;
function refreshSoon(api: Api): void {
  if (timer === undefined) timer = setTimeout(() => ((timer = undefined), void refresh(api)), 150);
}

async function act(api: Api, target: { action: string; id?: string; seq?: string }): Promise<void> {
  const { action, id } = target;
  if (action === 'estop') {
    const choice = await askConfirm(
      'Freeze the whole town?',
      html`<p>Every running step stops (SIGSTOP) and no new step starts until you thaw.</p>`,
      'Freeze everything',
      true,
    );
    if (!choice.confirmed) return;
    await api.post('/estop', choice.reason ? { reason: choice.reason } : {});
    toast('Town frozen');
  } else if (action === 'thaw') {
    await api.post('/thaw');
    toast('Town thawed');
  } else if (action === 'approve') {
    await api.post(`/approvals/${id ?? ''}/approve`);
    toast(`Approved #${id ?? ''}`);
  } else if (action === 'deny') {
    const choice = await askConfirm(
      `Deny #${id ?? ''}?`,
      html`<p>The step fails and the polecat is told why.</p>`,
      'Deny',
      true,
    );
    if (!choice.confirmed) return;
    await api.post(`/approvals/${id ?? ''}/deny`, choice.reason ? { reason: choice.reason } : {});
    toast(`Denied #${id ?? ''}`);
  } else if (action === 'launch') {
    await api.post(`/convoys/${id ?? ''}/launch`);
    toast(`Convoy ${id ?? ''} launched`);
  } else if (action === 'ack' || action === 'close-escalation') {
    await api.post(`/escalations/${id ?? ''}/${action === 'ack' ? 'ack' : 'close'}`);
  } else if (action === 'verify') {
    await api.post('/verify');
  } else if (action === 'create-convoy') {
    const name = byId('convoy-name').value.trim();
    const beads = byId('convoy-beads')
      .value.split(/[\s,]+/)
      .filter((b) => b !== '');
    await api.post('/convoys', { name, beads });
    toast(`Convoy ${name} created`);
  } else if (action === 'older') {
    const oldest = state.feed.at(-1)?.seq ?? 0;
    state.feed.push(...(await api.get<StreamedEvent[]>(`/feed?limit=200&before=${oldest}`)));
  } else if (action === 'event' && target.seq !== undefined) {
    // Details are made on demand: a large trace would otherwise carry one empty box per event.
    const open = doc.getElementById(`detail-${target.seq}`);
    if (open) return open.remove();
    const event = await api.get(`/ledger/${target.seq}`);
    doc
      .querySelectorAll(`li[data-seq="${target.seq}"]`)[0]
      ?.insertAdjacentHTML(
        'beforeend',
        html`<pre class="blob" id="detail-${target.seq}">${JSON.stringify(event, null, 2)}</pre>`.html,
      );
    return;
  }
  await refresh(api);
}

async function start(): Promise<void> {
  const token = takeToken();
  if (token === undefined) return signIn();
  const api = new Api(token);
  try {
    state.feed = await api.get<StreamedEvent[]>('/feed?limit=100');
  } catch (error) {
    if (error instanceof Unauthorized) {
      forgetToken();
      return signIn();
    }
  }
  await refresh(api);
  win.addEventListener('hashchange', () => void refresh(api));
  doc.addEventListener('click', (event) => {
    const el = elementOf(event.target)?.closest('[data-action]');
    const action = el?.dataset.action;
    if (!el || action === undefined) return;
    event.preventDefault();
    act(api, {
      action,
      ...(el.dataset.id ? { id: el.dataset.id } : {}),
      ...(el.dataset.seq ? { seq: el.dataset.seq } : {}),
    }).catch((error: unknown) => toast(error instanceof Error ? error.message : String(error), true));
  });
  const after = state.feed[0]?.seq ?? state.town?.head_seq ?? 0;
  await api.stream(
    after,
    (event) => {
      state.feed.unshift(event);
      state.fresh.add(event.seq);
      if (state.feed.length > maxFeed) state.feed.length = maxFeed;
      refreshSoon(api);
    },
    (live) => {
      state.live = live;
      const el = doc.getElementById('live');
      if (el) {
        el.textContent = live ? 'live' : 'offline';
        el.className = `pill ${live ? 'live' : 'off'}`;
      }
      if (live) refreshSoon(api);
    },
  );
}

start().catch((error: unknown) => {
  if (error instanceof Unauthorized) signIn();
  else toast(error instanceof Error ? error.message : String(error), true);
});
