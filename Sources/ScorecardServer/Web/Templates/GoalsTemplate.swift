import ScorecardCore

extension WebTemplates {
    /// The goals card of a scorecard (a partial: its context is a ``GoalsView``).
    static let goals = #"""
<section class="card" aria-labelledby="goals-title" id="goals">
  <header><h2 id="goals-title">Goals</h2></header>
  {{#conflict}}
  <div class="alert warn" role="alert">
    <p><strong>“{{label}}” changed while you were editing it.</strong> Nothing was saved. It is now at version {{version}}; check what changed, then save your edit again from the form below.</p>
    <div class="table-wrap"><table><thead><tr><th>Field</th><th>When you opened it</th><th>Now</th><th>Your edit</th></tr></thead>
    <tbody>{{#changes}}<tr><td>{{field}}</td><td>{{opened}}</td><td><strong>{{now}}</strong></td><td>{{yours}}</td></tr>{{/changes}}</tbody></table></div>
  </div>
  {{/conflict}}
  {{#hasItems}}
  {{#items}}
  <div class="goal" data-goal="{{id}}" data-version="{{version}}">
    <div class="goal-head"><strong>{{label}}</strong><span class="badge {{statusClass}}">{{statusLabel}}</span></div>
    <div class="goal-meta">{{summary}} · now {{currentValue}}</div>
    {{{progress}}}
    <div class="muted small">{{progressText}}</div>
    {{#.error}}<div class="alert error small" role="alert">{{.}}</div>{{/.error}}
    {{#editable}}
    <details{{#open}} open{{/open}}>
      <summary>Edit</summary>
      <form method="post" action="{{editAction}}">
        <input type="hidden" name="csrf_token" value="{{csrf}}">
        <input type="hidden" name="version" value="{{version}}">
        {{#base}}
        <input type="hidden" name="base_label" value="{{label}}">
        <input type="hidden" name="base_target_value" value="{{targetValue}}">
        <input type="hidden" name="base_deadline" value="{{deadline}}">
        {{#domains}}{{#selected}}<input type="hidden" name="base_domain" value="{{value}}">{{/selected}}{{/domains}}
        {{#metrics}}{{#options}}{{#selected}}<input type="hidden" name="base_metric_key" value="{{value}}">{{/selected}}{{/options}}{{/metrics}}
        {{#comparisons}}{{#selected}}<input type="hidden" name="base_comparison" value="{{value}}">{{/selected}}{{/comparisons}}
        {{/base}}
        {{#form}}
        <div class="form-grid">
          <div class="field full"><label for="label-{{id}}">Label</label><input id="label-{{id}}" name="label" type="text" maxlength="200" required value="{{label}}"></div>
          <div class="field"><label for="domain-{{id}}">Domain</label><select id="domain-{{id}}" name="domain">{{#domains}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/domains}}</select></div>
          <div class="field"><label for="metric-{{id}}">Metric</label><select id="metric-{{id}}" name="metric_key">{{#metrics}}<optgroup label="{{label}}">{{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}</optgroup>{{/metrics}}</select></div>
          <div class="field"><label for="comparison-{{id}}">Target is</label><select id="comparison-{{id}}" name="comparison">{{#comparisons}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/comparisons}}</select></div>
          <div class="field"><label for="target-{{id}}">Target value</label><input id="target-{{id}}" name="target_value" type="text" inputmode="decimal" required value="{{targetValue}}"></div>
          <div class="field"><label for="deadline-{{id}}">Deadline</label><input id="deadline-{{id}}" name="deadline" type="date" required value="{{deadline}}"></div>
        </div>
        {{/form}}
        <p class="actions section"><button class="btn primary" type="submit">Save goal</button></p>
      </form>
      <form method="post" action="{{cancelAction}}">
        <input type="hidden" name="csrf_token" value="{{csrf}}">
        <input type="hidden" name="version" value="{{version}}">
        <button class="btn small" type="submit" data-confirm="Cancel this goal?">Cancel goal</button>
      </form>
    </details>
    {{/editable}}
  </div>
  {{/items}}
  {{/hasItems}}
  {{^hasItems}}<p class="empty">No goals yet.</p>{{/hasItems}}
  {{#canCreate}}
  <details class="section"{{#openCreate}} open{{/openCreate}}>
    <summary class="btn small">New goal</summary>
    {{#error}}<div class="alert error small" role="alert">{{error}}</div>{{/error}}
    <form method="post" action="{{createAction}}" class="section">
      <input type="hidden" name="csrf_token" value="{{csrf}}">
      {{#form}}
      <div class="form-grid">
        <div class="field full"><label for="label-new">Label</label><input id="label-new" name="label" type="text" maxlength="200" required value="{{label}}" placeholder="Reduce first response to under 10 minutes"></div>
        <div class="field"><label for="domain-new">Domain</label><select id="domain-new" name="domain">{{#domains}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/domains}}</select></div>
        <div class="field"><label for="metric-new">Metric</label><select id="metric-new" name="metric_key">{{#metrics}}<optgroup label="{{label}}">{{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}</optgroup>{{/metrics}}</select></div>
        <div class="field"><label for="comparison-new">Target is</label><select id="comparison-new" name="comparison">{{#comparisons}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/comparisons}}</select></div>
        <div class="field"><label for="target-new">Target value</label><input id="target-new" name="target_value" type="text" inputmode="decimal" required value="{{targetValue}}"></div>
        <div class="field"><label for="deadline-new">Deadline</label><input id="deadline-new" name="deadline" type="date" required value="{{deadline}}"></div>
      </div>
      {{/form}}
      <p class="section"><button class="btn primary" type="submit">Create goal</button></p>
    </form>
  </details>
  {{/canCreate}}
</section>
"""#
}
