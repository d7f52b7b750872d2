// The rest of a trace's timeline, after the first screen: the next page is fetched by cursor when
// the bottom of the list comes near the viewport (or on "Load more"), and its rows are appended a
// chunk per idle moment, so scrolling and clicks stay responsive while a long trace fills in.
// While later pages are on screen, a live refresh updates the summary only and offers a reload
// for new events, instead of throwing away what the Overseer scrolled to.
import type { BeadTraceView } from '../queries/trace.js';
import type { TimelinePage, TimelineRow } from '../queries/trace-timeline.js';
import type { Api } from './api.js';
import type { El, Observer } from './dom.js';
import { doc, win } from './dom.js';
import { html } from './html.js';
import { timelineMore, timelineRows, traceHeader, traceMerges, traceSessions } from './views-trace.js';

const pageSize = 200;
const chunkSize = 50;
/** How far below the viewport the list's end may be when the next page is fetched. */
const aheadPx = 800;

const idle = (work: () => void): void => {
  if (win.requestIdleCallback) win.requestIdleCallback(work, { timeout: 100 });
  else setTimeout(work, 0);
};

export class TimelineLoader {
  private page: TimelinePage;
  private shown: number;
  private readonly first: number;
  private loading = false;
  private closed = false;
  private observer: Observer | undefined;

  constructor(
    private readonly api: Api,
    readonly bead: string,
    first: TimelinePage,
    /** The trace's events at the first page's snapshot: more in a later summary are new. */
    private readonly events: number,
    private readonly onError: (error: unknown) => void,
  ) {
    this.page = first;
    this.shown = first.rows.length;
    this.first = first.rows.length;
  }

  /** Whether pages beyond the first are on screen (a full re-render would lose them). */
  get extended(): boolean {
    return this.shown > this.first;
  }

  /** Watches the end of the list once the page shows it. */
  attach(): void {
    const more = doc.getElementById('timeline-more');
    if (more === null || this.page.next === null) return;
    this.observer = new win.IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) this.more().catch(this.onError);
      },
      { rootMargin: `0px 0px ${aheadPx}px 0px` },
    );
    this.observer.observe(more);
  }

  detach(): void {
    this.closed = true;
    this.observer?.disconnect();
  }

  async more(): Promise<void> {
    const cursor = this.page.next;
    if (this.loading || this.closed || cursor === null) return;
    this.loading = true;
    this.control();
    try {
      const page = await this.api.get<TimelinePage>(
        `/trace/${encodeURIComponent(this.bead)}/timeline?cursor=${cursor}&limit=${pageSize}`,
      );
      const list = doc.getElementById('timeline');
      if (this.closed || list === null) return;
      await this.append(list, page.rows);
      this.page = page;
    } finally {
      this.loading = false;
    }
    if (this.closed) return;
    this.control();
    // Still near the end (a jump to the bottom, a tall window): keep going.
    const more = doc.getElementById('timeline-more');
    if (more && more.getBoundingClientRect().top < win.innerHeight + aheadPx) await this.more();
    else if (this.page.next === null) this.observer?.disconnect();
  }

  /** Updates the summary cards from a fresh `?limit=0` read, keeping the timeline as it is. */
  refreshSummary(view: BeadTraceView): void {
    for (const [id, part] of [
      ['trace', traceHeader(view)],
      ['trace-sessions', traceSessions(view)],
      ['trace-merges', traceMerges(view)],
    ] as const) {
      const el = doc.getElementById(id);
      if (el) el.outerHTML = part.html;
    }
    const added = view.totals.events - this.events;
    const fresh = doc.getElementById('timeline-fresh');
    if (fresh && added > 0)
      fresh.innerHTML = html`<span class="pill warn">${added} new event${added === 1 ? '' : 's'}</span>
        <button data-action="trace-reload">Reload timeline</button>`.html;
  }

  private append(list: El, rows: readonly TimelineRow[]): Promise<void> {
    return new Promise((resolve) => {
      let at = 0;
      const step = (): void => {
        if (this.closed || !list.isConnected) return resolve();
        const chunk = rows.slice(at, at + chunkSize);
        list.insertAdjacentHTML('beforeend', timelineRows(chunk).html);
        at += chunk.length;
        this.shown += chunk.length;
        if (at < rows.length) idle(step);
        else resolve();
      };
      step();
    });
  }

  private control(): void {
    const more = doc.getElementById('timeline-more');
    if (more) more.innerHTML = timelineMore(this.shown, this.page, this.loading).html;
  }
}
