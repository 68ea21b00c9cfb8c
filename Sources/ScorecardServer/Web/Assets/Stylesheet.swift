import ScorecardCore

/// The project's one stylesheet: a light and a dark scheme (`prefers-color-scheme`), served at
/// `/static/scorecard.css`. Charts are coloured by class here, never by inline styles (the
/// pages' Content-Security-Policy allows styles from this file only).
enum Stylesheet {
    static let css = #"""
:root {
  color-scheme: light dark;
  --bg: #f5f6fa; --surface: #ffffff; --surface-2: #f0f2f7; --border: #e1e5ee; --border-strong: #cdd3df;
  --text: #182031; --muted: #566176; --faint: #7b8597;
  --accent: #2f62d9; --accent-soft: #e5ecfc; --accent-text: #ffffff; --outbound: #0f8b8d;
  --good: #17804a; --good-soft: #e2f4ea; --warn: #9a5b00; --warn-soft: #fcf0dc; --bad: #c2362b; --bad-soft: #fbe6e4;
  --grid: #e7eaf1; --axis: #6b7588; --track: #e9ecf3;
  --s0: #2f62d9; --s1: #0f8b8d; --s2: #d9822b; --s3: #8b5cf6; --s4: #c2366b; --s5: #5b8c2a; --s6: #8892a6;
  --seg-busy: #2f62d9; --seg-idle: #a9b4c8; --seg-pause: #d9822b; --seg-wrap: #8b5cf6; --seg-dial: #0f8b8d;
  --shadow: 0 1px 2px rgba(16, 24, 40, .05), 0 1px 3px rgba(16, 24, 40, .06);
  --radius: 12px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 15px; line-height: 1.5;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0e131b; --surface: #161d28; --surface-2: #1c2532; --border: #283345; --border-strong: #34415a;
    --text: #e6ebf3; --muted: #a3aec0; --faint: #8691a5;
    --accent: #7ea6ff; --accent-soft: #1d2b4a; --accent-text: #0e131b; --outbound: #3cc6c2;
    --good: #5ccf95; --good-soft: #15301f; --warn: #f2b65a; --warn-soft: #35280f; --bad: #ff8a80; --bad-soft: #3a1a18;
    --grid: #253043; --axis: #93a0b5; --track: #222c3b;
    --s0: #7ea6ff; --s1: #3cc6c2; --s2: #f2a65a; --s3: #b79bff; --s4: #ff7eb0; --s5: #9fd068; --s6: #8691a5;
    --seg-busy: #7ea6ff; --seg-idle: #56627a; --seg-pause: #f2a65a; --seg-wrap: #b79bff; --seg-dial: #3cc6c2;
    --shadow: 0 1px 2px rgba(0, 0, 0, .4);
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--text); overflow-wrap: anywhere; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, summary:focus-visible {
  outline: 3px solid var(--accent); outline-offset: 2px;
}
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0; letter-spacing: -.01em; }
h2 { font-size: 1.08rem; margin: 0 0 .75rem; }
h3 { font-size: .95rem; margin: 0 0 .5rem; }
p { margin: 0 0 .75rem; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.skip { position: absolute; left: -999px; top: 8px; background: var(--surface); padding: 8px 12px; border-radius: 8px; z-index: 10; }
.skip:focus { left: 8px; }

/* Top bar */
.topbar { background: var(--surface); border-bottom: 1px solid var(--border); }
.topbar-inner { max-width: 1200px; margin: 0 auto; padding: 10px 24px; display: flex; align-items: center; gap: 20px; flex-wrap: wrap; }
.brand { display: flex; align-items: center; gap: 8px; font-weight: 700; color: var(--text); font-size: 1.05rem; }
.brand:hover { text-decoration: none; }
.brand-mark { width: 26px; height: 26px; border-radius: 7px; background: var(--accent); display: inline-block; position: relative; }
.brand-mark::after { content: ""; position: absolute; left: 6px; right: 6px; bottom: 6px; height: 10px; border-left: 3px solid var(--accent-text); border-bottom: 3px solid var(--accent-text); }
.nav { display: flex; gap: 4px; flex-wrap: wrap; flex: 1; }
.nav a { color: var(--muted); padding: 6px 10px; border-radius: 8px; font-weight: 500; font-size: .93rem; white-space: nowrap; }
.nav a:hover { background: var(--surface-2); color: var(--text); text-decoration: none; }
.nav a[aria-current="page"] { background: var(--accent-soft); color: var(--accent); }
.who { display: flex; align-items: center; gap: 10px; color: var(--muted); font-size: .9rem; }
.who form { margin: 0; }

/* Page */
.page { max-width: 1200px; margin: 0 auto; padding: 24px 24px 48px; }
.page-head { display: flex; justify-content: space-between; align-items: flex-end; gap: 16px; flex-wrap: wrap; margin-bottom: 20px; }
.page-head .sub { color: var(--muted); margin: 4px 0 0; }
.crumbs { font-size: .88rem; color: var(--muted); margin-bottom: 6px; }
.crumbs a { color: var(--muted); }
.section { margin-top: 20px; }
.grid-2 { display: grid; grid-template-columns: minmax(0, 1fr); gap: 20px; align-items: start; }
.grid-3 { display: grid; grid-template-columns: minmax(0, 1fr); gap: 16px; }
@media (min-width: 900px) {
  .grid-2 { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
  .grid-2.wide-left { grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); }
  .grid-3 { grid-template-columns: repeat(3, minmax(0, 1fr)); }
}
@media (min-width: 600px) and (max-width: 899px) { .grid-3 { grid-template-columns: repeat(2, minmax(0, 1fr)); } }

/* Cards */
.card { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); padding: 18px; box-shadow: var(--shadow); min-width: 0; }
.card > h2:first-child, .card > header:first-child { margin-top: 0; }
.card header { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; flex-wrap: wrap; margin-bottom: 10px; }
.card header h2 { margin: 0; }
.muted { color: var(--muted); }
.small { font-size: .86rem; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 14px; }
.stat { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); padding: 14px 16px; box-shadow: var(--shadow); min-width: 0; }
.stat .label { color: var(--muted); font-size: .82rem; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; }
.stat .value { font-size: 1.75rem; font-weight: 700; line-height: 1.2; margin-top: 4px; font-variant-numeric: tabular-nums; }
.stat .value.text { font-size: 1.2rem; }
.stat .value.low, .stat .value.delta-down { color: var(--bad); }
.stat .value.mid { color: var(--warn); }
.stat .value.high, .stat .value.delta-up { color: var(--good); }
.stat .note { color: var(--muted); font-size: .86rem; margin-top: 2px; }
.empty { color: var(--muted); text-align: center; padding: 28px 12px; border: 1px dashed var(--border-strong); border-radius: var(--radius); }

/* Badges, scores */
.badge { display: inline-block; padding: 2px 9px; border-radius: 999px; font-size: .78rem; font-weight: 600; background: var(--surface-2); color: var(--muted); white-space: nowrap; }
.badge.good { background: var(--good-soft); color: var(--good); }
.badge.warn { background: var(--warn-soft); color: var(--warn); }
.badge.bad { background: var(--bad-soft); color: var(--bad); }
.badge.info { background: var(--accent-soft); color: var(--accent); }
.score { font-weight: 700; font-variant-numeric: tabular-nums; padding: 2px 8px; border-radius: 8px; display: inline-block; min-width: 3.2em; text-align: center; }
.score.high { color: var(--good); background: var(--good-soft); }
.score.mid { color: var(--warn); background: var(--warn-soft); }
.score.low { color: var(--bad); background: var(--bad-soft); }
.delta-up { color: var(--good); font-weight: 600; }
.delta-down { color: var(--bad); font-weight: 600; }

/* Tables */
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 9px 10px; border-bottom: 1px solid var(--border); vertical-align: middle; overflow-wrap: normal; }
th { white-space: nowrap; }
th { font-size: .8rem; color: var(--muted); font-weight: 600; text-transform: uppercase; letter-spacing: .03em; }
td.num, th.num { text-align: right; }
tbody tr:hover { background: var(--surface-2); }
.leaderboard td { white-space: nowrap; }
.leaderboard .actions { flex-wrap: nowrap; }
.leaderboard .name { white-space: normal; min-width: 8em; }
.actions { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; min-width: 0; max-width: 100%; }
.page-head > div { min-width: 0; max-width: 100%; }
.actions form { margin: 0; }
@media (max-width: 700px) { .hide-sm, .btn.hide-sm { display: none; } th, td { padding: 8px 6px; } }
details.numbers { margin-top: 10px; }
details.numbers summary { cursor: pointer; color: var(--muted); font-size: .86rem; }
details.numbers table { margin-top: 8px; font-size: .88rem; }

/* Forms */
form.inline { display: flex; flex-wrap: wrap; gap: 10px; align-items: flex-end; margin: 0; }
label { display: block; font-size: .85rem; font-weight: 600; color: var(--muted); margin-bottom: 4px; }
.field { display: flex; flex-direction: column; min-width: 0; }
.field.grow { flex: 1 1 220px; }
input[type="text"], input[type="password"], input[type="number"], input[type="date"], input[type="week"], select, textarea {
  font: inherit; color: var(--text); background: var(--surface); border: 1px solid var(--border-strong); border-radius: 8px; padding: 7px 10px; min-height: 38px; max-width: 100%;
}
textarea { min-height: 84px; width: 100%; resize: vertical; }
.form-grid { display: grid; grid-template-columns: minmax(0, 1fr); gap: 12px; }
@media (min-width: 640px) { .form-grid { grid-template-columns: repeat(2, minmax(0, 1fr)); } .form-grid .full { grid-column: 1 / -1; } }
.form-grid input, .form-grid select { width: 100%; }
.btn { font: inherit; font-weight: 600; font-size: .9rem; border-radius: 8px; padding: 7px 14px; min-height: 38px; border: 1px solid var(--border-strong); background: var(--surface); color: var(--text); cursor: pointer; display: inline-flex; align-items: center; gap: 6px; }
.btn:hover { background: var(--surface-2); text-decoration: none; }
.btn.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-text); }
.btn.primary:hover { filter: brightness(1.07); }
.btn.small { padding: 4px 10px; min-height: 30px; font-size: .84rem; }
.btn.link { border: none; background: none; color: var(--accent); padding: 0; min-height: 0; }
.alert { border-radius: 10px; padding: 12px 14px; margin-bottom: 16px; border: 1px solid var(--border); background: var(--surface); }
.alert.error { border-color: var(--bad); background: var(--bad-soft); color: var(--text); }
.alert.info { border-color: var(--accent); background: var(--accent-soft); }
.alert.warn { border-color: var(--warn); background: var(--warn-soft); }
.banner { display: flex; justify-content: space-between; align-items: center; gap: 12px; flex-wrap: wrap; }
.js .js-hide { display: none; }

/* Login */
.login { max-width: 400px; margin: 8vh auto 0; padding: 0 16px; }
.login .card { padding: 28px; }
.login h1 { margin-bottom: 6px; }
.login form .field { margin-bottom: 14px; }
.login input { width: 100%; }
.login .btn { width: 100%; justify-content: center; }

/* Charts */
.chart { display: block; width: 100%; height: auto; max-width: 100%; }
.chart text { font-family: inherit; }
.chart .grid { stroke: var(--grid); stroke-width: 1; }
.chart .axis { fill: var(--axis); font-size: 11px; }
.chart .value { fill: var(--text); font-size: 11px; font-weight: 600; }
.chart.spark { width: 120px; height: 32px; }
.spark-line { stroke: var(--accent); stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
.spark-dot { fill: var(--accent); }
.chart.minibars { width: 84px; height: 28px; }
.minibar-track { fill: var(--track); }
.minibar { fill: var(--accent); }
.trend-line { stroke: var(--accent); stroke-width: 2.5; stroke-linejoin: round; }
.trend-dot { fill: var(--surface); stroke: var(--accent); stroke-width: 2.5; }
.trend-dot.below { stroke: var(--bad); }
.threshold { stroke: var(--bad); stroke-width: 1.5; stroke-dasharray: 5 4; }
.chart.radar { max-width: 380px; margin: 0 auto; }
.radar-current { fill: var(--accent); fill-opacity: .22; stroke: var(--accent); stroke-width: 2; }
.radar-previous { fill: none; stroke: var(--faint); stroke-width: 1.5; stroke-dasharray: 4 3; }
.radar-dot { fill: var(--accent); }
.chart.histogram { max-width: 560px; }
.bar { fill: var(--accent); fill-opacity: .75; }
.bar-highlight { fill: var(--warn); fill-opacity: 1; }
.bar-in { fill: var(--accent); }
.bar-out { fill: var(--outbound); }
.chart.donut { max-width: 220px; margin: 0 auto; }
.donut-track { stroke: var(--track); }
.donut-total { fill: var(--text); font-size: 26px; font-weight: 700; }
.donut-caption { fill: var(--muted); font-size: 12px; }
.slice-0 { stroke: var(--s0); } .slice-1 { stroke: var(--s1); } .slice-2 { stroke: var(--s2); } .slice-3 { stroke: var(--s3); }
.slice-4 { stroke: var(--s4); } .slice-5 { stroke: var(--s5); } .slice-6 { stroke: var(--s6); }
.stack-track { fill: var(--track); }
.seg-busy { fill: var(--seg-busy); } .seg-idle { fill: var(--seg-idle); } .seg-pause { fill: var(--seg-pause); }
.seg-wrap { fill: var(--seg-wrap); } .seg-dial { fill: var(--seg-dial); }
.chart.progress { height: 8px; margin: 6px 0 4px; }
.chart.stacked { height: 28px; border-radius: 6px; }
.progress-track { fill: var(--track); }
.progress-fill { fill: var(--accent); } .progress-fill.done { fill: var(--good); } .progress-fill.warn { fill: var(--warn); }
.legend { display: flex; flex-wrap: wrap; gap: 6px 14px; list-style: none; padding: 0; margin: 10px 0 0; font-size: .86rem; color: var(--muted); }
.legend li { display: flex; align-items: center; gap: 6px; }
.swatch { width: 11px; height: 11px; border-radius: 3px; display: inline-block; flex: none; }
.sw-in, .sw-s0, .sw-busy, .sw-current { background: var(--s0); } .sw-out, .sw-s1, .sw-dial { background: var(--s1); }
.sw-s2, .sw-pause { background: var(--s2); } .sw-s3, .sw-wrap { background: var(--s3); } .sw-s4 { background: var(--s4); }
.sw-s5 { background: var(--s5); } .sw-s6, .sw-previous { background: var(--s6); } .sw-idle { background: var(--seg-idle); }
.sw-in, .sw-current { background: var(--accent); } .sw-out { background: var(--outbound); }
.chart-row { display: grid; grid-template-columns: minmax(0, 1fr); gap: 16px; align-items: center; }
@media (min-width: 640px) { .chart-row { grid-template-columns: 220px minmax(0, 1fr); } }

/* Domain cards, goals, reviews */
.domain-card h3 { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; }
.domain-card .raw { font-size: 1.3rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.metric-list { list-style: none; margin: 0; padding: 0; font-size: .88rem; }
.metric-list li { display: flex; justify-content: space-between; gap: 10px; padding: 5px 0; border-top: 1px solid var(--border); }
.metric-list .pts { color: var(--muted); white-space: nowrap; font-variant-numeric: tabular-nums; }
.goal { padding: 12px 0; border-top: 1px solid var(--border); }
.goal:first-of-type { border-top: none; }
.goal .goal-head { display: flex; justify-content: space-between; gap: 8px; flex-wrap: wrap; align-items: baseline; }
.goal .goal-meta { color: var(--muted); font-size: .85rem; margin: 4px 0 6px; }
.goal details { margin-top: 8px; }
.goal details summary { cursor: pointer; color: var(--accent); font-size: .88rem; font-weight: 600; }
.goal details form { margin-top: 10px; }
.timeline { list-style: none; padding: 0; margin: 0; }
.timeline li { padding: 10px 0; border-top: 1px solid var(--border); }
.timeline li:first-child { border-top: none; }
.timeline .meta { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; font-size: .86rem; color: var(--muted); }
.callouts-grid { display: grid; grid-template-columns: minmax(0, 1fr); gap: 12px; }
@media (min-width: 640px) { .callouts-grid { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); } }
.callout { border: 1px solid var(--border); border-left: 4px solid var(--border-strong); border-radius: 10px; padding: 12px 14px; background: var(--surface); }
.callout.positive { border-left-color: var(--good); }
.callout.concern { border-left-color: var(--warn); }
.callout .ref { font-weight: 600; }
.summary-card { background: var(--accent-soft); border-color: transparent; }
.summary-card p { font-size: 1.02rem; margin: 0; }
ul.badges { list-style: none; padding: 0; margin: 0; display: flex; flex-direction: column; gap: 8px; }
ul.badges li { display: flex; gap: 10px; align-items: flex-start; }
.prio { text-transform: capitalize; }
.kv { display: grid; grid-template-columns: auto minmax(0, 1fr); gap: 4px 14px; font-size: .9rem; }
.kv dt { color: var(--muted); }
.kv dd { margin: 0; font-weight: 600; }
.setting { padding: 14px 0; border-top: 1px solid var(--border); }
.setting:first-of-type { border-top: none; }
.setting .key { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88rem; font-weight: 600; }
.setting form { margin-top: 8px; }
.setting input[type="text"] { flex: 1 1 260px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88em; }
footer.foot { max-width: 1200px; margin: 0 auto; padding: 0 24px 32px; color: var(--faint); font-size: .82rem; }
@media (max-width: 600px) {
  .page { padding: 16px 14px 40px; }
  .topbar-inner { padding: 10px 14px; gap: 6px 10px; justify-content: space-between; }
  .nav { order: 3; flex: 1 1 100%; margin: 0 -10px; }
  .nav a { padding: 6px 9px; }
  .who > span { display: none; }
  h1 { font-size: 1.35rem; }
  .stat .value { font-size: 1.45rem; }
  .stats { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 10px; }
  .card { padding: 14px; }
}
"""#
}
