import ScorecardCore

extension WebTemplates {
    /// Team overview: filters, four cards, the leaderboard, distribution, most improved, SLA.
    static let team = #"""
<div class="page-head">
  <div>
    <p class="crumbs">Team performance</p>
    <h1>{{teamName}}</h1>
    <p class="sub">{{periodLabel}}</p>
  </div>
  <form class="inline" method="get" action="/admin/performance/team" data-autosubmit>
    <div class="field">
      <label for="team_id">Team</label>
      <select id="team_id" name="team_id">{{#teams}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/teams}}</select>
    </div>
    <div class="field">
      <label for="period">Period</label>
      <select id="period" name="period">{{#periods}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/periods}}</select>
    </div>
    <div class="field">
      <label for="week">Chosen week</label>
      <input id="week" name="week" type="week" value="{{week}}" placeholder="2026-W46">
    </div>
    <button class="btn" type="submit">Apply</button>
  </form>
</div>
{{#notice}}<div class="alert info" role="status">{{notice}}</div>{{/notice}}
{{#error}}<div class="alert error" role="alert">{{error}}</div>{{/error}}
<section class="stats" aria-label="Team figures">
  {{#cards}}
  <div class="stat" data-card="{{key}}">
    <div class="label">{{label}}</div>
    <div class="value {{valueClass}}">{{#href}}<a href="{{href}}">{{value}}</a>{{/href}}{{^href}}{{value}}{{/href}}</div>
    <div class="note">{{note}}</div>
  </div>
  {{/cards}}
</section>

<section class="card section" aria-labelledby="leaderboard-title">
  <header>
    <h2 id="leaderboard-title">Leaderboard</h2>
    <span class="actions"><span class="muted small">Flagged below {{threshold}}</span><a class="btn small" href="{{csvHref}}" download>Export CSV</a></span>
  </header>
  {{#hasRows}}
  <div class="table-wrap">
  <table class="leaderboard">
    <thead><tr>
      <th class="num">#</th><th>Name</th><th class="num">Composite</th><th class="num hide-sm">Change</th>
      <th class="hide-sm">12 weeks</th><th class="hide-sm">Domains</th><th>Actions</th>
    </tr></thead>
    <tbody>
    {{#rows}}
    <tr data-person="{{personID}}" data-composite="{{score}}">
      <td class="num">{{rank}}</td>
      <td class="name"><a href="{{href}}">{{name}}</a><div class="muted small">{{personID}}</div></td>
      <td class="num"><span class="score {{scoreClass}}" title="{{scoreWords}}">{{score}}</span><span class="sr-only"> ({{scoreWords}})</span></td>
      <td class="num hide-sm"><span class="{{changeClass}}">{{change}}</span></td>
      <td class="hide-sm">{{{spark}}}</td>
      <td class="hide-sm">{{{bars}}}</td>
      <td><div class="actions">
        <a class="btn small hide-sm" href="{{href}}">View</a>
        <form method="post" action="{{generateAction}}">
          <input type="hidden" name="csrf_token" value="{{csrf}}">
          <button class="btn small" type="submit" data-confirm="Write a coaching review for {{name}} now?">Review</button>
        </form>
      </div></td>
    </tr>
    {{/rows}}
    </tbody>
  </table>
  </div>
  {{/hasRows}}
  {{^hasRows}}<p class="empty">Nobody in this team has scores for the period yet. Scoring runs weekly (Mondays, UTC).</p>{{/hasRows}}
</section>

<div class="grid-2 section">
  <section class="card" aria-labelledby="dist-title">
    <header><h2 id="dist-title">Score distribution</h2><span class="muted small">{{scoredNote}}</span></header>
    {{{histogram}}}
    <details class="numbers"><summary>Show the numbers</summary>
      <table><thead><tr><th>Composite</th><th class="num">Members</th></tr></thead>
      <tbody>{{#buckets}}<tr><td>{{label}}</td><td class="num">{{count}}</td></tr>{{/buckets}}</tbody></table>
    </details>
  </section>
  <section class="card" aria-labelledby="highlights-title">
    <h2 id="highlights-title">Highlights</h2>
    <dl class="kv">
      <dt>Most improved</dt>
      <dd>{{#mostImproved}}<a href="{{href}}">{{name}}</a> <span class="delta-up">{{change}}</span> <span class="muted">(now {{score}})</span>{{/mostImproved}}{{^mostImproved}}<span class="muted">Nobody rose against the period before</span>{{/mostImproved}}</dd>
      <dt>SLA compliance</dt>
      <dd><span data-sla="{{sla}}">{{sla}}</span> <span class="muted small">{{slaNote}}</span></dd>
    </dl>
    <p class="small section"><a href="{{feedbackHref}}">Feedback dashboard for this team →</a></p>
  </section>
</div>
"""#
}
