import ScorecardCore

extension WebTemplates {
    /// Agent detail and My scorecard: header, trend, radar, domain cards, callouts, goals,
    /// reviews; My scorecard adds peer comparison and the unacknowledged-reviews banner.
    static let scorecard = #"""
<div class="page-head">
  <div>
    <p class="crumbs">{{#backHref}}<a href="{{backHref}}">Team</a> › {{/backHref}}{{#isSelf}}My scorecard{{/isSelf}}{{^isSelf}}Agent{{/isSelf}}</p>
    <h1>{{personName}}</h1>
    <p class="sub">{{teamName}} · {{roleLabel}} · <span class="mono">{{personID}}</span></p>
  </div>
  <div class="actions">
    <form class="inline" method="get" action="{{periodAction}}" data-autosubmit>
      <div class="field">
        <label for="period">Week</label>
        <select id="period" name="period">{{#weeks}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/weeks}}</select>
      </div>
      <button class="btn js-hide" type="submit">Show</button>
    </form>
    <a class="btn" href="{{callsHref}}">Calls</a>
    {{#canGenerate}}
    <form method="post" action="{{generateAction}}">
      <input type="hidden" name="csrf_token" value="{{csrf}}">
      <input type="hidden" name="period" value="{{#weeks}}{{#selected}}{{value}}{{/selected}}{{/weeks}}">
      <button class="btn primary" type="submit">Generate review</button>
    </form>
    {{/canGenerate}}
  </div>
</div>
{{#banner}}
<div class="alert warn banner" role="status">
  <span>You have {{count}} coaching review{{#plural}}s{{/plural}} to read and acknowledge.</span>
  <a class="btn small primary" href="{{href}}">Read {{#plural}}the latest{{/plural}}{{^plural}}it{{/plural}}</a>
</div>
{{/banner}}
{{#notice}}<div class="alert info" role="status">{{notice}}</div>{{/notice}}
{{#alert}}<div class="alert error" role="alert">{{alert}}</div>{{/alert}}
<p class="muted">{{periodLabel}}</p>
<section class="stats" aria-label="Scores">
  {{#stats}}<div class="stat"><div class="label">{{label}}</div><div class="value {{valueClass}}">{{value}}</div><div class="note">{{note}}</div></div>{{/stats}}
</section>

<div class="grid-2 wide-left section">
  <section class="card" aria-labelledby="trend-title">
    <header><h2 id="trend-title">Composite, last 12 weeks</h2></header>
    {{{trend}}}
    <details class="numbers"><summary>Show the numbers</summary>
      <table><thead><tr><th>Week</th><th class="num">Composite</th></tr></thead>
      <tbody>{{#trendRows}}<tr data-week="{{week}}"><td>{{week}}</td><td class="num">{{score}}</td></tr>{{/trendRows}}</tbody></table>
    </details>
  </section>
  <section class="card" aria-labelledby="radar-title">
    <header><h2 id="radar-title">Domains</h2></header>
    {{{radar}}}
    <ul class="legend"><li><span class="swatch sw-current"></span>This week</li><li><span class="swatch sw-previous"></span>Previous week</li></ul>
    <details class="numbers"><summary>Show the numbers</summary>
      <table><thead><tr><th>Domain</th><th class="num">This week</th><th class="num">Previous</th></tr></thead>
      <tbody>{{#radarRows}}<tr><td>{{domain}}</td><td class="num">{{current}}</td><td class="num">{{previous}}</td></tr>{{/radarRows}}</tbody></table>
    </details>
  </section>
</div>

<section class="section" aria-labelledby="domains-title">
  <h2 id="domains-title">Domain scores</h2>
  <div class="grid-3">
  {{#domains}}
    <article class="card domain-card" data-domain="{{key}}" data-raw="{{raw}}">
      <h3><span>{{name}}</span><span class="score {{rawClass}}">{{raw}}</span></h3>
      {{#active}}
      <p class="muted small">{{weight}} · {{weighted}} to the composite</p>
      <ul class="metric-list">{{#metrics}}<li><span>{{label}}<br><strong>{{value}}</strong></span><span class="pts">{{points}}</span></li>{{/metrics}}</ul>
      {{/active}}
      {{^active}}<p class="muted small">No activity in this domain this week.</p>{{/active}}
    </article>
  {{/domains}}
  </div>
</section>

{{#hasCallouts}}
<section class="section callouts-grid" aria-label="Highlights">
  <div class="card"><h2>Strongest metrics</h2>
    {{#best}}<div class="callout positive"><div class="ref">{{label}}</div><div class="muted small">{{domain}}</div><div>{{value}} · {{points}}</div></div>{{/best}}
  </div>
  <div class="card"><h2>Most room to improve</h2>
    {{#worst}}<div class="callout concern"><div class="ref">{{label}}</div><div class="muted small">{{domain}}</div><div>{{value}} · {{points}}</div></div>{{/worst}}
    {{^worst}}<p class="muted">Every metric earned full points.</p>{{/worst}}
  </div>
</section>
{{/hasCallouts}}

{{#peer}}
<section class="card section" aria-labelledby="peer-title">
  <header><h2 id="peer-title">How you compare with your team</h2><span class="muted small">Anonymous: no names, counts only</span></header>
  {{#available}}
  <div class="chart-row">
    <dl class="kv">
      <dt>Your composite</dt><dd>{{yourScore}}</dd>
      <dt>Percentile</dt><dd data-percentile="{{percentile}}">{{percentile}}</dd>
      <dt>Team average</dt><dd data-team-average="{{teamAverage}}">{{teamAverage}}</dd>
      <dt>People compared</dt><dd>{{teamSize}}</dd>
    </dl>
    <div>{{{histogram}}}</div>
  </div>
  <details class="numbers"><summary>Show the numbers</summary>
    <table><thead><tr><th>Composite</th><th class="num">People</th></tr></thead>
    <tbody>{{#buckets}}<tr><td>{{label}}</td><td class="num">{{count}}</td></tr>{{/buckets}}</tbody></table>
  </details>
  {{/available}}
  {{^available}}<p class="muted" data-peer-hidden>Peer comparison is hidden: {{reason}}.</p>{{/available}}
</section>
{{/peer}}

<div class="grid-2 section">
  {{#goals}}{{>goals}}{{/goals}}
  <section class="card" aria-labelledby="reviews-title">
    <header><h2 id="reviews-title">Recent reviews</h2></header>
    {{#hasReviews}}
    <ul class="timeline">
    {{#reviews}}
      <li>
        <div class="meta"><a href="{{href}}"><strong>{{period}}</strong></a> <span class="score">{{score}}</span>
          {{#acknowledged}}<span class="badge good">Acknowledged</span>{{/acknowledged}}{{^acknowledged}}<span class="badge warn">Not acknowledged</span>{{/acknowledged}}
          <span>{{created}}</span></div>
        <details><summary class="small">Summary</summary><p class="small">{{summary}}</p></details>
      </li>
    {{/reviews}}
    </ul>
    {{/hasReviews}}
    {{^hasReviews}}<p class="empty">No coaching reviews yet.</p>{{/hasReviews}}
  </section>
</div>
"""#
}
