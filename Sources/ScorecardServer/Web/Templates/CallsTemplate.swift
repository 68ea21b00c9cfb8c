import ScorecardCore

extension WebTemplates {
    /// My Performance (calls): KPI cards, calls per day, dispositions, time utilization.
    static let calls = #"""
<div class="page-head">
  <div>
    <p class="crumbs"><a href="{{backHref}}">{{#isSelf}}My scorecard{{/isSelf}}{{^isSelf}}{{personName}}{{/isSelf}}</a> › Calls</p>
    <h1>{{title}}</h1>
    <p class="sub">{{rangeLabel}}</p>
  </div>
  <form class="inline" method="get" action="{{action}}" data-autosubmit>
    <div class="field">
      <label for="period">Period</label>
      <select id="period" name="period">{{#periods}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/periods}}</select>
    </div>
    <div class="field"><label for="from">From</label><input id="from" name="from" type="date" value="{{from}}"></div>
    <div class="field"><label for="to">To</label><input id="to" name="to" type="date" value="{{to}}"></div>
    <button class="btn" type="submit">Apply</button>
  </form>
</div>
<section class="stats" aria-label="Call KPIs">
  {{#cards}}<div class="stat" data-kpi="{{key}}"><div class="label">{{label}}</div><div class="value">{{value}}</div><div class="note">{{note}}</div></div>{{/cards}}
</section>
<div class="grid-2 wide-left section">
  <section class="card" aria-labelledby="volume-title">
    <header><h2 id="volume-title">Call volume</h2>
      <ul class="legend"><li><span class="swatch sw-in"></span>Inbound</li><li><span class="swatch sw-out"></span>Outbound</li></ul></header>
    {{{volume}}}
    <details class="numbers"><summary>Show the numbers</summary>
      <div class="table-wrap"><table><thead><tr><th>Day</th><th class="num">Inbound</th><th class="num">Outbound</th><th class="num">Answered</th><th class="num">Missed</th><th class="num">Total</th></tr></thead>
      <tbody>{{#days}}<tr data-day="{{date}}"><td>{{date}}</td><td class="num">{{inbound}}</td><td class="num">{{outbound}}</td><td class="num">{{answered}}</td><td class="num">{{missed}}</td><td class="num">{{total}}</td></tr>{{/days}}</tbody></table></div>
    </details>
  </section>
  <section class="card" aria-labelledby="disp-title">
    <header><h2 id="disp-title">Dispositions</h2></header>
    {{#hasCalls}}
    {{{donut}}}
    <ul class="legend">{{#slices}}<li><span class="swatch {{swatch}}"></span>{{label}} · {{count}} ({{share}})</li>{{/slices}}</ul>
    {{/hasCalls}}
    {{^hasCalls}}<p class="empty">No calls in this period.</p>{{/hasCalls}}
  </section>
</div>
<section class="card section" aria-labelledby="time-title">
  <header><h2 id="time-title">Time utilization</h2><span class="muted small">Login time {{loginTime}}</span></header>
  {{#hasUtilization}}
  {{{utilization}}}
  <ul class="legend">{{#segments}}<li><span class="swatch {{swatch}}"></span>{{label}} {{time}} ({{share}})</li>{{/segments}}</ul>
  {{/hasUtilization}}
  {{^hasUtilization}}<p class="empty">No agent summary for this period.</p>{{/hasUtilization}}
</section>
"""#
}
