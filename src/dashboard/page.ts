// The page's HTML shell and its styles. The shell holds no data: the script (`/app.js`) reads the
// token from the URL fragment, keeps it in sessionStorage and fills the views from the API.
// System fonts and inline SVG only, so the page works offline.

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function pageHtml(townName: string): string {
  const name = escapeHtml(townName);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${name} · Gas Town</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/app.css">
<script src="/app.js" defer></script>
</head>
<body>
<header class="top">
  <div class="brand"><strong>Gas Town</strong> <span id="town-name">${name}</span></div>
  <nav id="nav">
    <a href="#/town" data-view="town">Town</a>
    <a href="#/convoys" data-view="convoys">Convoys</a>
    <a href="#/molecules" data-view="molecules">Molecules</a>
    <a href="#/board" data-view="board">Beads</a>
    <a href="#/merges" data-view="merges">Merge queue</a>
    <a href="#/costs" data-view="costs">Costs</a>
    <a href="#/feed" data-view="feed">Feed</a>
  </nav>
  <div class="status" id="status"></div>
  <div class="estop" id="estop"></div>
</header>
<section id="problems" class="problems" hidden></section>
<main id="view"><p class="muted">Loading…</p></main>
<div id="toast" class="toast" hidden></div>
</body>
</html>
`;
}

export const pageStyles = `
:root { --bg:#f6f7f9; --card:#fff; --ink:#1d232b; --muted:#6b7480; --line:#e2e5ea; --accent:#2d6cdf;
  --ok:#1f8a4c; --warn:#b7791f; --bad:#c53030; --font: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink); font:14px/1.45 var(--font); }
a { color:var(--accent); text-decoration:none; } a:hover { text-decoration:underline; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size:12.5px; }
.top { display:flex; align-items:center; gap:18px; padding:10px 18px; background:#111820; color:#e8edf3; position:sticky; top:0; z-index:2; }
.top a { color:#b9c6d6; } .top a.active { color:#fff; font-weight:600; }
.brand strong { color:#ffb547; } #nav { display:flex; gap:14px; flex:1; }
.status { display:flex; gap:10px; font-size:12.5px; color:#b9c6d6; }
.pill { display:inline-block; padding:1px 8px; border-radius:10px; font-size:12px; background:var(--line); color:var(--ink); }
.pill.ok { background:#dcf3e5; color:var(--ok); } .pill.warn { background:#fdf0d5; color:var(--warn); }
.pill.bad { background:#fde2e2; color:var(--bad); } .pill.live { background:#1f8a4c; color:#fff; }
.pill.off { background:#555; color:#eee; }
button { font:inherit; border:1px solid var(--line); background:#fff; border-radius:6px; padding:4px 10px; cursor:pointer; }
button:hover { border-color:var(--accent); } button:disabled { opacity:.5; cursor:default; }
button.primary { background:var(--accent); color:#fff; border-color:var(--accent); }
button.danger { background:var(--bad); color:#fff; border-color:var(--bad); font-weight:600; }
button.ok { background:var(--ok); color:#fff; border-color:var(--ok); }
main { padding:16px 18px 40px; display:grid; gap:16px; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); align-items:start; }
main.wide { grid-template-columns: 1fr; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:12px 14px; min-width:0; }
.card h2 { margin:0 0 8px; font-size:15px; display:flex; justify-content:space-between; align-items:center; gap:8px; }
.card.span { grid-column: 1 / -1; }
table { width:100%; border-collapse:collapse; } th, td { text-align:left; padding:5px 6px; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-weight:600; color:var(--muted); font-size:12px; }
.muted { color:var(--muted); } .empty { color:var(--muted); font-style:italic; }
.problems { margin:12px 18px 0; background:#fff5f5; border:1px solid #f3b4b4; border-radius:8px; padding:10px 14px; }
.problems h2 { margin:0 0 6px; font-size:15px; color:var(--bad); } .problems li { margin:2px 0; }
.bar { width:160px; height:10px; border-radius:5px; vertical-align:middle; }
.bar .track { fill:var(--line); } .bar .closed { fill:var(--ok); } .bar .review { fill:#7c5cd6; } .bar .working { fill:var(--accent); }
.board { display:grid; grid-template-columns: repeat(5, minmax(0, 1fr)); gap:12px; }
.col h3 { margin:0 0 6px; font-size:13px; display:flex; justify-content:space-between; }
.bead { background:var(--card); border:1px solid var(--line); border-radius:6px; padding:6px 8px; margin-bottom:6px; }
.bead .id { font-family: ui-monospace, monospace; font-size:12px; }
.feed { list-style:none; margin:0; padding:0; max-height:520px; overflow:auto; }
.feed li { padding:3px 0; border-bottom:1px dotted var(--line); display:grid; grid-template-columns: 56px 70px 190px 1fr; gap:8px; }
.feed li.new { animation: flash 1.2s ease-out; } @keyframes flash { from { background:#fff3c4; } to { background:transparent; } }
.tree { list-style:none; padding-left:18px; margin:0; border-left:1px solid var(--line); }
.tree > li { margin:3px 0; } .kind { font-family: ui-monospace, monospace; font-size:12px; color:var(--muted); }
/* The trace timeline: flat rows indented by depth; rows off screen skip layout and paint. */
.timeline { padding-left:0; border-left:0; } .timeline li { margin:0; padding:2px 0; border-bottom:1px dotted var(--line); content-visibility:auto; contain-intrinsic-size:auto 24px; }
.timeline .d1 { padding-left:18px; } .timeline .d2 { padding-left:36px; } .timeline .d3 { padding-left:54px; } .timeline .d4 { padding-left:72px; }
.timeline .d5 { padding-left:90px; } .timeline .d6 { padding-left:108px; } .timeline .d7 { padding-left:126px; } .timeline .d8 { padding-left:144px; }
.timeline .bead-head { margin-top:10px; padding:4px 0; font-weight:600; border-bottom:1px solid var(--line); }
.more { display:flex; gap:10px; align-items:center; padding-top:8px; } .kinds .pill { margin:0 4px 4px 0; }
.decision-allow { color:var(--ok); } .decision-deny { color:var(--bad); } .decision-ask { color:var(--warn); }
.chart text { font-size:11px; fill:var(--ink); } .chart rect { fill:var(--accent); }
.toast { position:fixed; bottom:16px; right:16px; background:#111820; color:#fff; padding:8px 14px; border-radius:6px; max-width:420px; }
.toast.bad { background:var(--bad); }
.dialog { position:fixed; inset:0; background:rgba(0,0,0,.45); display:flex; align-items:center; justify-content:center; z-index:5; }
.dialog .card { max-width:420px; } .row { display:flex; gap:8px; align-items:center; flex-wrap:wrap; }
input[type=text] { font:inherit; padding:4px 8px; border:1px solid var(--line); border-radius:6px; min-width:220px; }
pre.blob { max-height:360px; overflow:auto; background:#0f141a; color:#d8e1ea; padding:8px; border-radius:6px; white-space:pre-wrap; }
.signin { max-width:560px; }
`;
