import ScorecardCore

extension WebTemplates {
    /// A coaching review in full, with the acknowledge button for the reviewed person.
    static let review = #"""
<div class="page-head">
  <div>
    <p class="crumbs"><a href="{{personHref}}">{{backLabel}}</a> › Review</p>
    <h1>Coaching review · {{personName}}</h1>
    <p class="sub">{{period}} · written {{created}} by {{model}}</p>
  </div>
  <div class="actions" data-review="{{id}}" data-acknowledged="{{acknowledged}}">
    {{#acknowledged}}<span class="badge good">Acknowledged {{acknowledgedAt}}</span>{{/acknowledged}}
    {{^acknowledged}}<span class="badge warn">Not acknowledged yet</span>{{/acknowledged}}
    {{#canAck}}
    <form method="post" action="{{ackAction}}">
      <input type="hidden" name="csrf_token" value="{{csrf}}">
      <button class="btn primary" type="submit">Acknowledge</button>
    </form>
    {{/canAck}}
  </div>
</div>
{{#notice}}<div class="alert info" role="status">{{notice}}</div>{{/notice}}
<section class="card summary-card">
  <header><h2>Summary</h2><span class="score {{scoreClass}}">Composite {{score}}</span></header>
  <p>{{summary}}</p>
</section>
<div class="grid-2 section">
  <section class="card"><h2>Strengths</h2>
    <ul class="badges">{{#strengths}}<li><span class="badge good">Strength</span><span>{{.}}</span></li>{{/strengths}}</ul>
    {{^strengths}}<p class="muted">None listed.</p>{{/strengths}}
  </section>
  <section class="card"><h2>Improvements</h2>
    <ul class="badges">{{#improvements}}<li><span class="badge warn">Improve</span><span>{{.}}</span></li>{{/improvements}}</ul>
    {{^improvements}}<p class="muted">None listed.</p>{{/improvements}}
  </section>
</div>
<section class="card section" aria-labelledby="recs-title">
  <h2 id="recs-title">Recommendations</h2>
  <div class="table-wrap"><table>
    <thead><tr><th>Priority</th><th>Category</th><th>Action</th><th>Expected impact</th></tr></thead>
    <tbody>{{#recommendations}}<tr data-priority="{{priority}}"><td><span class="badge {{priorityClass}} prio">{{priority}}</span></td><td>{{category}}</td><td>{{action}}</td><td>{{impact}}</td></tr>{{/recommendations}}</tbody>
  </table></div>
  {{^recommendations}}<p class="muted">No recommendations.</p>{{/recommendations}}
</section>
{{#hasCallouts}}
<section class="section" aria-labelledby="callouts-title">
  <h2 id="callouts-title">Callouts</h2>
  <div class="callouts-grid">
    <div>{{#positive}}<div class="callout positive section" data-callout="positive"><span class="badge good">{{typeLabel}}</span> <span class="ref">{{reference}}</span><p class="small">{{observation}}</p></div>{{/positive}}</div>
    <div>{{#concerns}}<div class="callout concern section" data-callout="concern"><span class="badge warn">{{typeLabel}}</span> <span class="ref">{{reference}}</span><p class="small">{{observation}}</p></div>{{/concerns}}</div>
  </div>
</section>
{{/hasCallouts}}
"""#
}
