// The dashboard page: takes the token, loads the town view, follows the ledger live and re-renders
// the open view when something happens (debounced, so a burst of events costs one reload). Routes
// live in the URL fragment: #/town, #/convoys, #/molecules, #/board, #/merges, #/costs, #/feed,
// #/trace/<bead>.
import type { StreamedEvent } from '../events.js';
import type { Board } from '../queries/board.js';
import type { ConvoyView } from '../queries/convoys.js';
import type { Costs } from '../queries/costs.js';
import type { MergeQueueView } from '../queries/merge-queue.js';
import type { MoleculeView } from '../queries/molecules.js';
import type { BeadTraceView } from '../queries/trace.js';
import { Api, Unauthorized, forgetToken, takeToken } from './api.js';
import { askConfirm } from './dialog.js';
import { byId, doc, elementOf, win } from './dom.js';
import type { Html } from './html.js';
import { html } from './html.js';
import { costsPage, feedPage } from './views-insight.js';
import { TimelineLoader } from './timeline-loader.js';
import { tracePage } from './views-trace.js';
import { moleculesPage } from './views-molecules.js';
import { boardPage, convoysPage, mergesPage } from './views-work.js';
import type { TownPayload } from './views-town.js';
import { estopControl, problemsBanner, statusBar, townPage } from './views-town.js';

const maxFeed = 300;
const state = {
  live: false,
  town: undefined as TownPayload | undefined,
  feed: [] as StreamedEvent[],
  fresh: new Set<number>(),
  /** The open trace's timeline, while the trace view shows. */
  trace: undefined as TimelineLoader | undefined,
};

const views = new Set(['town', 'convoys', 'molecules', 'board', 'merges', 'costs', 'feed', 'trace']);

function route(): { view: string; arg: string | undefined } {
  const [view, ...rest] = win.location.hash.replace(/^#\/?/, '').split('/');
  return {
    view: view !== undefined && views.has(view) ? view : 'town',
    arg: rest.length > 0 ? decodeURIComponent(rest.join('/')) : undefined,
  };
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

const report = (error: unknown): void => toast(error instanceof Error ? error.message : String(error), true);

/** The trace view; undefined when it was updated in place (later timeline pages are on screen). */
async function traceView(api: Api, bead: string): Promise<Html | undefined> {
  const path = `/trace/${encodeURIComponent(bead)}`;
  if (state.trace?.bead === bead && state.trace.extended) {
    state.trace.refreshSummary(await api.get<BeadTraceView>(`${path}?limit=0`));
    return undefined;
  }
  const view = await api.get<BeadTraceView>(path);
  state.trace?.detach();
  state.trace = new TimelineLoader(api, bead, view.timeline, view.totals.events, report);
  return tracePage(view);
}

/** Any view but the town's (which is drawn from the town payload); undefined: updated in place. */
async function viewHtml(api: Api, view: string, arg: string | undefined): Promise<Html | undefined> {
  if (view !== 'trace' && state.trace) {
    state.trace.detach();
    state.trace = undefined;
  }
  switch (view) {
    case 'convoys':
      return convoysPage(await api.get<ConvoyView[]>('/convoys'));
    case 'molecules':
      return moleculesPage(await api.get<MoleculeView[]>('/molecules'));
    case 'board':
      return boardPage(await api.get<Board>('/board'));
    case 'merges':
      return mergesPage(await api.get<MergeQueueView>('/merge-queue'));
    case 'costs':
      return costsPage(await api.get<Costs>('/costs'));
    case 'feed':
      return feedPage(state.feed, state.fresh);
    case 'trace':
      return traceView(api, arg ?? '');
    default:
      return undefined;
  }
}

let rendering: Promise<void> | undefined;
/** The first feed page; the town view draws it. */
let feedLoaded: Promise<unknown> = Promise.resolve();
let again = false;

/** Reloads the town and the open view; calls during a reload coalesce into one more. */
function refresh(api: Api): Promise<void> {
  if (rendering) {
    again = true;
    return rendering;
  }
  rendering = (async () => {
    try {
      const { view, arg } = route();
      // The town payload (status bar, problems) and the open view's data load side by side.
      const [town, other] = await Promise.all([
        api.get<TownPayload>('/town'),
        view === 'town' ? undefined : viewHtml(api, view, arg),
        feedLoaded,
      ]);
      state.town = town;
      const body = view === 'town' ? townPage(town, state.feed, state.fresh) : other;
      doc.title = `${state.town.name} · Gas Town`;
      byId('status').innerHTML = statusBar(state.town, state.live).html;
      byId('estop').innerHTML = estopControl(state.town).html;
      const problems = problemsBanner(state.town);
      byId('problems').hidden = problems === undefined;
      byId('problems').innerHTML = problems?.html ?? '';
      const main = byId('view');
      if (body !== undefined) {
        main.className = view === 'town' ? '' : 'wide';
        main.innerHTML = body.html;
        main.dataset.view = view;
        if (view === 'trace') state.trace?.attach();
      }
      for (const a of Array.from(doc.querySelectorAll('#nav a')))
        a.classList.toggle('active', a.dataset.view === view);
      state.fresh.clear();
    } catch (error) {
      if (error instanceof Unauthorized) return signIn();
      report(error);
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
  } else if (action === 'approve-step') {
    await api.post(`/molecules/steps/${encodeURIComponent(id ?? '')}/approve`);
    toast(`Approved ${id ?? ''}`);
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
  } else if (action === 'trace-more') {
    return state.trace?.more();
  } else if (action === 'trace-reload') {
    state.trace?.detach();
    state.trace = undefined;
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
  // The feed loads beside the first view (which waits for it), not before it.
  const authorized = api.get<StreamedEvent[]>('/feed?limit=100').then(
    (events) => {
      state.feed = events;
      return true;
    },
    (error: unknown) => !(error instanceof Unauthorized),
  );
  feedLoaded = authorized;
  // Listening before the first load: a route changed meanwhile is drawn right after it.
  win.addEventListener('hashchange', () => void refresh(api));
  const first = refresh(api);
  if (!(await authorized)) {
    forgetToken();
    await first;
    return signIn();
  }
  await first;
  doc.addEventListener('click', (event) => {
    const el = elementOf(event.target)?.closest('[data-action]');
    const action = el?.dataset.action;
    if (!el || action === undefined) return;
    event.preventDefault();
    act(api, {
      action,
      ...(el.dataset.id ? { id: el.dataset.id } : {}),
      ...(el.dataset.seq ? { seq: el.dataset.seq } : {}),
    }).catch(report);
  });
  const after = state.feed[0]?.seq ?? state.town?.head_seq ?? 0;
  let connected = false;
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
      // A reconnect reloads what may have changed meanwhile; the first connection follows the
      // page's own first load (the stream starts from its newest event), so it has nothing to add.
      if (live && connected) refreshSoon(api);
      if (live) connected = true;
    },
  );
}

start().catch((error: unknown) => {
  if (error instanceof Unauthorized) signIn();
  else toast(error instanceof Error ? error.message : String(error), true);
});
