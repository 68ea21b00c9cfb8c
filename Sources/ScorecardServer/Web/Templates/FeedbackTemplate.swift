import ScorecardCore

extension WebTemplates {
    /// The feedback dashboard.
    static let feedback = #"""
<div class="page-head">
  <div>
    <p class="crumbs">Feedback tracking</p>
    <h1>{{teamName}}</h1>
    <p class="sub">{{rangeLabel}}</p>
  </div>
  <form class="inline" method="get" action="/admin/performance/feedback" data-autosubmit>
    <div class="field"><label for="team_id">Team</label>
      <select id="team_id" name="team_id">{{#teams}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/teams}}</select></div>
    <div class="field"><label for="from">From</label><input id="from" name="from" type="date" value="{{from}}"></div>
    <div class="field"><label for="to">To</label><input id="to" name="to" type="date" value="{{to}}"></div>
    <button class="btn" type="submit">Apply</button>
  </form>
</div>
{{#notice}}<div class="alert info" role="status">{{notice}}</div>{{/notice}}
{{#error}}<div class="alert error" role="alert">{{error}}</div>{{/error}}
<div class="grid-2 wide-left">
  <section class="card" aria-labelledby="rates-title">
    <header><h2 id="rates-title">Feedback by member</h2><span class="muted small">Rates are shares of each member's entries</span></header>
    {{#hasMembers}}
    <div class="table-wrap"><table>
      <thead><tr><th>Member</th><th class="num">Entries</th><th class="num">Correction</th><th class="num">Enhancement</th><th class="num">Approval</th><th class="num">Innovations</th></tr></thead>
      <tbody>{{#members}}<tr data-person="{{personID}}" data-correction="{{correction}}" data-enhancement="{{enhancement}}" data-approval="{{approval}}" data-innovations="{{innovations}}">
        <td><a href="{{href}}">{{name}}</a></td><td class="num">{{entries}}</td><td class="num">{{correction}}</td><td class="num">{{enhancement}}</td><td class="num">{{approval}}</td><td class="num">{{innovations}}</td></tr>{{/members}}</tbody>
    </table></div>
    {{/hasMembers}}
    {{^hasMembers}}<p class="empty">This team has no active members.</p>{{/hasMembers}}
  </section>
  <section class="card" aria-labelledby="improved-title">
    <h2 id="improved-title">Most improved</h2>
    {{#mostImproved}}<p><a href="{{mostImprovedHref}}"><strong>{{mostImproved}}</strong></a></p><p class="muted small">{{mostImprovedNote}}</p>{{/mostImproved}}
    {{^mostImproved}}<p class="muted">Nobody's approval rate rose against the same number of days before.</p>{{/mostImproved}}
  </section>
</div>
<section class="card section" aria-labelledby="sla-title">
  <header><h2 id="sla-title">SLA compliance by week</h2><span class="muted small">Target {{target}}</span></header>
  <div class="table-wrap"><table>
    <thead><tr><th>Week</th><th class="num">Compliance</th><th class="hide-sm">Within SLA</th><th>Status</th></tr></thead>
    <tbody>{{#weeks}}<tr data-week="{{period}}" data-below="{{below}}"><td>{{period}}</td><td class="num">{{compliance}}</td>
      <td class="hide-sm">{{{bar}}}<span class="muted small">{{met}} of {{total}} tickets</span></td>
      <td>{{#below}}<span class="badge bad">Below target</span>{{/below}}{{^below}}<span class="badge">{{#hasTickets}}On target{{/hasTickets}}{{^hasTickets}}No tickets{{/hasTickets}}</span>{{/below}}</td></tr>{{/weeks}}</tbody>
  </table></div>
</section>
<section class="card section" aria-labelledby="log-title" id="log">
  <h2 id="log-title">Log feedback</h2>
  <form method="post" action="{{action}}">
    <input type="hidden" name="csrf_token" value="{{csrf}}">
    <div class="form-grid">
      <div class="field"><label for="person_id">Member</label><select id="person_id" name="person_id" required>{{#people}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/people}}</select></div>
      <div class="field"><label for="feedback_type">Type</label><select id="feedback_type" name="feedback_type">{{#types}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/types}}</select></div>
      <div class="field"><label for="rating">Rating</label><select id="rating" name="rating">{{#ratings}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/ratings}}</select></div>
      <div class="field"><label for="context">Context</label><input id="context" name="context" type="text" maxlength="4000" value="{{context}}" placeholder="Project or situation"></div>
      <div class="field full"><label for="feedback">Feedback</label><textarea id="feedback" name="feedback" maxlength="4000" required>{{text}}</textarea></div>
    </div>
    <p class="section"><button class="btn primary" type="submit">Log feedback</button></p>
  </form>
</section>
"""#
}
