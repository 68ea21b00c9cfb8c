import ScorecardCore

extension WebTemplates {
    /// The settings page (admins).
    static let settings = #"""
<div class="page-head">
  <div>
    <p class="crumbs">Administration</p>
    <h1>Settings</h1>
    <p class="sub">Scoring, reviews and the LLM. Changes apply from the next scoring run or review.</p>
  </div>
</div>
{{#notice}}<div class="alert info" role="status">{{notice}}</div>{{/notice}}
{{#refusal}}<div class="alert error" role="alert">{{refusal}}</div>{{/refusal}}
<section class="card">
{{#rows}}
  <div class="setting" id="setting-{{key}}" data-key="{{key}}">
    <div class="goal-head"><span class="key">{{key}}</span>{{#isSet}}<span class="badge info">Changed</span>{{/isSet}}{{^isSet}}<span class="badge">Default</span>{{/isSet}}</div>
    <div class="muted small">{{summary}}. Default: <code>{{defaultText}}</code>.</div>
    <div class="small">Now: <strong data-value>{{current}}</strong></div>
    {{#.error}}<div class="alert error small" role="alert">{{.}}</div>{{/.error}}
    <form class="inline" method="post" action="/admin/performance/settings#setting-{{key}}">
      <input type="hidden" name="csrf_token" value="{{csrf}}">
      <input type="hidden" name="key" value="{{key}}">
      {{#isBool}}<select name="value" aria-label="{{key}}">{{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}</select>{{/isBool}}
      {{#isText}}<input name="value" type="text" value="{{text}}" aria-label="{{key}}" placeholder="{{hint}}">{{/isText}}
      <button class="btn small primary" type="submit" name="action" value="save">Save</button>
      {{#isSet}}<button class="btn small" type="submit" name="action" value="reset">Reset to default</button>{{/isSet}}
    </form>
  </div>
{{/rows}}
</section>
"""#
}
