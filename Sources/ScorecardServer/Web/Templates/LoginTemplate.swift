import ScorecardCore

extension WebTemplates {
    /// The sign-in form.
    static let login = #"""
<div class="login">
  <p class="brand"><span class="brand-mark" aria-hidden="true"></span>Scorecard</p>
  <div class="card">
    <h1>Sign in</h1>
    <p class="muted">Use your person id and password, as for the <code>scorecard</code> client.</p>
    {{#notice}}<div class="alert info" role="status">{{notice}}</div>{{/notice}}
    {{#error}}<div class="alert error" role="alert">{{error}}</div>{{/error}}
    <form method="post" action="/login">
      <input type="hidden" name="csrf_token" value="{{csrf}}">
      {{#next}}<input type="hidden" name="next" value="{{next}}">{{/next}}
      <div class="field">
        <label for="person_id">Person id</label>
        <input id="person_id" name="person_id" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="{{personID}}"{{^personID}} autofocus{{/personID}}>
      </div>
      <div class="field">
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required{{#personID}} autofocus{{/personID}}>
      </div>
      <button class="btn primary" type="submit">Sign in</button>
    </form>
  </div>
</div>
"""#
}
